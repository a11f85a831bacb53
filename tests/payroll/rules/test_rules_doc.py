"""Every rule the code cites exists in docs/rules.md, and the code cites nothing outside the
repository. No database."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "rules.md"
SKIP = {".venv", "var", ".git", "node_modules"}


def python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def sections() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    numbers = set(re.findall(r"^## (\d+)\. ", text, flags=re.MULTILINE))
    numbers |= set(re.findall(r"^### §(\d+\.\d+) ", text, flags=re.MULTILINE))
    return numbers


def test_every_cited_section_exists():
    known = sections()
    missing = []
    for path in python_files():
        for number, line in _citations(path):
            if number not in known:
                missing.append(f"{path.relative_to(ROOT)}:{line}: §{number}")
    assert not missing, "cited sections missing from docs/rules.md:\n" + "\n".join(missing)


def _citations(path: Path):
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for number in re.findall(r"§(\d+(?:\.\d+)?)", line):
            yield number, line_number


def test_the_rules_document_numbers_its_sections_one_to_eleven():
    numbers = sections()
    assert {str(n) for n in range(1, 12)} <= numbers
    assert {"5.5", "6.3", "7.5"} <= numbers


def test_code_cites_no_document_outside_the_repository():
    outside = "RULES" + ".md"
    offenders = [
        str(path.relative_to(ROOT)) for path in python_files() if outside in path.read_text("utf-8")
    ]
    assert offenders == []
