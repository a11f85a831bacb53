"""The README says what the screens and the permission table say."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from personnel.models import OrgUnitUserPermission
from personnel.permissions import APPROVE_SALARY, ROLE_PERMISSIONS, Role

README = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
ACCESS = README[README.index("## Access model") : README.index("## Organisation tree")]


def test_the_readme_says_unit_heads_approve_salary_decisions_as_their_role_allows():
    assert APPROVE_SALARY in ROLE_PERMISSIONS[Role.UNIT_HEAD]
    head = ACCESS[ACCESS.index("**unit head**") : ACCESS.index("**staff**")]
    assert "approves or\n  rejects salary decisions" in head


def test_the_readme_names_the_grant_screen_as_the_administration_site_shows_it():
    with translation.override("vi"):
        screen = str(OrgUnitUserPermission._meta.verbose_name_plural)
    assert f"*{screen[0].upper()}{screen[1:]} → Thêm*" in ACCESS
