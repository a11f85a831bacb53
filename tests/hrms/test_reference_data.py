"""The reference data in fixtures/: every row effective-dated with its legal basis and a
confidence tag, the tags those of docs/rules.md where the rulebook tags the item, and every group
of every salary table usable (steps and at least one rank). The CSV checks need no database."""

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from hrms.management.commands.load_reference import REFERENCE_FILES
from personnel.models import Rank, RankPlacement, SalaryGroup

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def rows(path: str) -> list[dict]:
    with open(FIXTURES / path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def section(number: str) -> str:
    start = DOC.index(f"### §{number} ")
    end = DOC.find("\n### ", start + 5)
    return DOC[start : end if end != -1 else None]


def table(text: str) -> list[list[str]]:
    """The rows of the first markdown table in ``text`` (header and rule left out)."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def tags(cell: str) -> set[str]:
    return set(cell.split("/"))


@pytest.mark.parametrize("spec", REFERENCE_FILES, ids=lambda spec: spec.path)
def test_every_fixture_row_is_dated_with_its_legal_basis_and_confidence(spec):
    bad = []
    for line, row in enumerate(rows(spec.path), start=2):
        if not (row.get("valid_from") or row.get("date")):  # a calendar's rows are dates
            bad.append(f"{spec.path}:{line}: no valid_from")
        if not (row.get("legal_basis") or "").strip():
            bad.append(f"{spec.path}:{line}: no legal basis")
        if row.get("confidence") not in ("V", "S", "U"):
            bad.append(f"{spec.path}:{line}: confidence {row.get('confidence')!r}")
    assert bad == []


def test_base_salary_tags_are_those_of_the_rulebook():
    expected = {date: tag for date, _amount, _basis, tag in table(section("1.2"))}
    assert {row["valid_from"]: row["confidence"] for row in rows("payroll/base_salaries.csv")} == (
        expected
    )


GROUP_NAMES = {"Senior expert": ["CGCC"]}


def _group_tags() -> dict[str, tuple[str, str]]:
    """Group code → (number of steps, tag) from the table of §2.1, table 3 included."""
    found = {}
    for name, steps, _coefficients, _increment, tag in table(section("2.1")):
        for code in GROUP_NAMES.get(name, [name, f"VC.{name}"]):
            found[code] = (steps, tag)
    assert "Table 4 (12 steps, +0.18 a step) [V]" in section("2.1")
    for code in ("T4.LX", "T4.KT", "T4.DM", "T4.VT", "T4.PV"):
        found[code] = ("12", "V")
    return found


def test_every_group_of_every_table_has_its_steps_with_the_rulebooks_tag():
    expected = _group_tags()
    groups = {row["code"]: row for row in rows("payroll/salary_groups.csv")}
    assert set(groups) == set(expected)
    steps = defaultdict(list)
    for row in rows("payroll/salary_steps.csv"):
        steps[row["group"]].append(row)
    for code, (count, tag) in expected.items():
        assert groups[code]["confidence"] == tag, code
        assert len(steps[code]) == int(count), code
        assert {row["confidence"] for row in steps[code]} == {tag}, code


def _expand(code: str) -> list[str]:
    """06.029–06.032 → four codes; V.07.02.26/25/24 → three."""
    if "–" in code:
        first, last = code.split("–")
        prefix, start = first.rsplit(".", 1)
        end = last.rsplit(".", 1)[1]
        return [f"{prefix}.{n:0{len(start)}d}" for n in range(int(start), int(end) + 1)]
    if "/" in code:
        head, *tails = code.split("/")
        prefix = head.rsplit(".", 1)[0]
        return [head] + [f"{prefix}.{tail}" for tail in tails]
    return [code]


def test_ranks_and_titles_the_rulebook_tags_carry_its_tag():
    listed = {}
    for code, _title, _group, tag in table(section("2.2")):
        for one in _expand(code):
            listed[one] = tag
    fixture = {row["code"]: row["confidence"] for row in rows("payroll/ranks.csv")}
    assert {code: fixture.get(code) for code in listed} == listed
    placements = defaultdict(set)
    for row in rows("payroll/rank_placements.csv"):
        placements[row["rank"]].add(row["confidence"])
    assert {code: placements[code] for code in listed} == {
        code: {tag} for code, tag in listed.items()
    }


def test_every_group_has_a_rank_or_title():
    groups = {row["code"] for row in rows("payroll/salary_groups.csv")}
    placed = {row["group"] for row in rows("payroll/rank_placements.csv")}
    assert groups - placed == set()


def test_allowance_types_have_their_own_basis_and_the_rulebooks_tag():
    summary = {cells[1]: cells for cells in table(section("3.1"))}
    for row in rows("payroll/allowance_types.csv"):
        _name, _code, *_rest, valid_from, basis, tag = summary[row["code"]]
        assert row["confidence"] in tags(tag), row["code"]
        assert row["valid_from"] == valid_from, row["code"]
        first_instrument = re.split(r"[;(]", basis)[0].strip().split(" Điều")[0]
        assert first_instrument.split("/")[0] in row["legal_basis"], row["code"]
    public_service = next(r for r in rows("payroll/allowance_types.csv") if r["code"] == "CONGVU")
    assert "NĐ 34/2012" in public_service["legal_basis"]
    assert set(public_service["categories"].split(";")) == {
        "cadre", "civil_servant", "commune_cadre", "commune_civil_servant",
    }  # fmt: skip


# §3.2: the tag of each block of leadership rates, as docs/rules.md gives it.
LEADERSHIP_TAGS = {
    "UBND cấp xã": ("(NĐ 07/2026) [S]", "S"),
    "Chi cục thuộc sở": ("chi cục) of a provincial department [V]", "V"),
    "Sở và tương đương": ("Provincial department (sở) [U]", "U"),
    "Cán bộ cấp xã (trước 01/7/2025)": ("to 2025-06-30 [V]", "V"),
}


def test_leadership_rates_carry_the_tag_of_their_block_and_leave_no_gap():
    text = section("3.2")
    for phrase, _tag in LEADERSHIP_TAGS.values():
        assert phrase in text
    by_post = defaultdict(list)
    for row in rows("payroll/leadership_allowances.csv"):
        assert row["confidence"] == LEADERSHIP_TAGS[row["unit_kind"]][1], row
        by_post[(row["unit_kind"], row["position"], row["tier"])].append(row)
    commune_chair = sorted(
        (row["valid_from"], row["valid_to"])
        for row in by_post[("UBND cấp xã", "Chủ tịch UBND xã", "other")]
    )
    assert commune_chair == [("2025-07-01", "2025-12-31"), ("2026-01-01", "")]
    old = by_post[("Cán bộ cấp xã (trước 01/7/2025)", "Bí thư Đảng ủy xã", "other")][0]
    assert (old["valid_from"], old["valid_to"]) == ("2023-08-01", "2025-06-30")
    chi_cuc = by_post[("Chi cục thuộc sở", "Chi cục trưởng", "other")][0]
    assert chi_cuc["valid_from"] == "2004-10-01" and "NĐ 204/2004" in chi_cuc["legal_basis"]
    assert by_post[("Sở và tương đương", "Trưởng phòng thuộc Sở", "middle")][0]["coefficient"] == (
        "0.50"
    )


def test_discipline_delays_and_tags_are_those_of_the_rulebook():
    expected = {}
    for _event, delay, codes, tag in table(section("4.2")):
        for code in codes.split(", "):
            expected[code] = (delay.split()[0], tag)
    disciplines = {
        row["code"]: (row["raise_delay_months"], row["confidence"])
        for row in rows("personnel/discipline_types.csv")
    }
    ratings = {
        row["code"]: (row["raise_delay_months"], row["confidence"])
        for row in rows("personnel/rating_levels.csv")
    }
    for code, (delay, tag) in expected.items():
        months, confidence = disciplines.get(code) or ratings[code]
        assert months == delay, code
        if code in disciplines:  # a rating level's tag is that of its names' decree
            assert confidence == tag, code
    assert disciplines["VC-CCH"] == ("12", "V")  # removal from office of a viên chức


def test_retirement_ages_of_nd_135_carry_its_tag():
    assert "### §4.7 Retirement age and date [U]" in DOC
    for row in rows("payroll/retirement_ages.csv"):
        expected = "U" if "135/2020" in row["legal_basis"] else "V"
        assert row["confidence"] == expected, row


@pytest.mark.django_db
def test_loading_the_reference_data_again_changes_nothing(reference):
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "created" in out.getvalue()
    assert re.findall(r"(\d+) created, (\d+) updated", out.getvalue()) == [("0", "0")] * len(
        REFERENCE_FILES
    )
    for rank in Rank.objects.all():
        today = RankPlacement.objects.filter(rank=rank, valid_to__isnull=True).get()
        assert today.group_id == rank.group_id, rank.code
    assert not SalaryGroup.objects.filter(steps__isnull=True).exists()
