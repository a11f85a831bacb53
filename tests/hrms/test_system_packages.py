"""bin/system-packages: missing system programs are installed when we may, else a clear stop.

The script finds every program (id, sudo, apt-get, and the ones it checks) on PATH, so each
test runs it with a PATH holding only fakes: a fake apt-get that records its calls and
"installs" by creating the programs, a fake id that says who we are, a fake sudo.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "bin" / "system-packages"
BASH = shutil.which("bash")
LOCK_WAIT = "-o DPkg::Lock::Timeout=300"  # waits for another apt-get rather than failing
NEEDED = [
    "chromium:chromium",
    "pdftotext:poppler-utils",
    "pdftoppm:poppler-utils",
    "msgfmt:gettext",
]

FAKE_APT_GET = """#!/bin/sh
echo "apt-get $*" >> "$FAKE_LOG"
[ "$1" = -o ] && shift 2
if [ "$1" = update ]; then : > "$FAKE_DIR/updated"; exit 0; fi
if [ -n "$FAKE_APT_NEEDS_UPDATE" ] && [ ! -e "$FAKE_DIR/updated" ]; then exit 100; fi
for program in $FAKE_PROVIDES; do
  printf '#!/bin/sh\\n' > "$FAKE_DIR/$program"
  /bin/chmod +x "$FAKE_DIR/$program"
done
"""
FAKE_ID = """#!/bin/sh
echo "$FAKE_UID"
"""
FAKE_SUDO = """#!/bin/sh
echo "sudo $*" >> "$FAKE_LOG"
[ -n "$FAKE_SUDO_OK" ] || exit 1
shift
PATH="$FAKE_DIR:/usr/bin:/bin" exec "$@"
"""


@pytest.fixture
def fake_system(tmp_path):
    """A directory of fake programs; ``run`` executes the script with it as the whole PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    log.touch()

    def program(name: str, text: str = "#!/bin/sh\n") -> None:
        path = bin_dir / name
        path.write_text(text)
        path.chmod(0o755)

    program("apt-get", FAKE_APT_GET)
    program("id", FAKE_ID)

    def run(*args: str, uid: int = 0, provides: str = "", sudo: bool | None = None, **env):
        if sudo is not None:
            program("sudo", FAKE_SUDO)
        environment = {
            "PATH": str(bin_dir),
            "FAKE_DIR": str(bin_dir),
            "FAKE_LOG": str(log),
            "FAKE_UID": str(uid),
            "FAKE_PROVIDES": provides,
            "FAKE_SUDO_OK": "1" if sudo else "",
            **env,
        }
        result = subprocess.run(
            [BASH, str(SCRIPT), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
        )
        result.calls = log.read_text().splitlines()
        return result

    run.program = program
    return run


def test_nothing_happens_when_every_program_is_there(fake_system):
    for name in ("chromium", "pdftotext", "pdftoppm", "msgfmt"):
        fake_system.program(name)
    result = fake_system(*NEEDED)
    assert result.returncode == 0, result.stderr
    assert result.calls == []
    assert result.stderr == ""


def test_root_installs_only_the_missing_packages_each_once(fake_system):
    fake_system.program("msgfmt")
    result = fake_system(*NEEDED, uid=0, provides="chromium pdftotext pdftoppm")
    assert result.returncode == 0, result.stderr
    assert result.calls == [
        f"apt-get {LOCK_WAIT} install -y --no-install-recommends chromium poppler-utils",
    ]
    assert "Installed: chromium poppler-utils" in result.stderr


def test_a_failed_install_is_retried_after_refreshing_the_package_lists(fake_system):
    result = fake_system(
        *NEEDED,
        uid=0,
        provides="chromium pdftotext pdftoppm msgfmt",
        FAKE_APT_NEEDS_UPDATE="1",
    )
    assert result.returncode == 0, result.stderr
    install = (
        f"apt-get {LOCK_WAIT} install -y --no-install-recommends chromium poppler-utils gettext"
    )
    assert result.calls == [install, f"apt-get {LOCK_WAIT} update", install]


def test_a_user_with_passwordless_sudo_installs_through_sudo(fake_system):
    result = fake_system(
        *NEEDED, uid=1000, sudo=True, provides="chromium pdftotext pdftoppm msgfmt"
    )
    assert result.returncode == 0, result.stderr
    assert result.calls == [
        "sudo -n true",
        f"sudo -n env DEBIAN_FRONTEND=noninteractive apt-get {LOCK_WAIT} install -y "
        "--no-install-recommends chromium poppler-utils gettext",
        f"apt-get {LOCK_WAIT} install -y --no-install-recommends chromium poppler-utils gettext",
    ]


@pytest.mark.parametrize("sudo", [None, False], ids=["no sudo", "sudo wants a password"])
def test_without_root_or_sudo_it_stops_at_once_with_the_exact_command(fake_system, sudo):
    result = fake_system(*NEEDED, uid=1000, sudo=sudo)
    assert result.returncode == 1
    assert not any(call.startswith("apt-get") for call in result.calls)
    assert (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "chromium poppler-utils gettext"
    ) in result.stderr


def test_it_fails_when_the_install_did_not_bring_the_programs(fake_system):
    result = fake_system(*NEEDED, uid=0, provides="chromium")
    assert result.returncode == 1
    assert "Still missing after the install: poppler-utils gettext" in result.stderr


def test_dry_run_prints_the_command_and_installs_nothing(fake_system):
    result = fake_system("--dry-run", *NEEDED, uid=0, provides="chromium pdftotext pdftoppm msgfmt")
    assert result.returncode == 0
    assert result.calls == []
    assert (
        "Would run: apt-get install -y --no-install-recommends chromium poppler-utils gettext"
        in result.stderr
    )


def test_make_test_and_make_run_check_the_system_packages_first():
    for target, first_real_step in (("test", "pytest"), ("run", "gunicorn")):
        plan = subprocess.run(
            ["make", "-n", "-B", target],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        assert "bin/system-packages" in plan, plan
        assert plan.index("bin/system-packages") < plan.index(first_real_step), plan
