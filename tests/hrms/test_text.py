"""Submitted text is normalised in one place, for every form of the project."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.http import QueryDict
from django.test import RequestFactory

from hrms.lib.text import NormalizedBoundField, normalize_text, normalizes
from personnel.forms import section_form_class, section_formset_class
from personnel.sections import SECTIONS

PACKAGES = ("hrms", "personnel", "payroll", "insurance", "demo")
SKIPPED_MODULES = ("hrms.wsgi",)


@pytest.mark.parametrize(
    ("raw", "single", "multi"),
    [
        ("Giám đốc\vSở", "Giám đốc Sở", "Giám đốc\nSở"),  # Word's line break
        ("  Trưởng phòng \t ", "Trưởng phòng", "Trưởng phòng"),
        ("a\r\nb\rc\x85d\u2028e\u2029f\x0cg", "a b c d e f g", "a\nb\nc\nd\ne\nf\ng"),
        ("tab\tkept", "tab kept", "tab\tkept"),
        ("nul\x00bell\x07esc\x1bdel\x7fc1\x9b", "nul bell esc del c1", "nulbellescdelc1"),
        ("Nguye\u0302\u0303n", "Nguyễn", "Nguyễn"),  # decomposed → precomposed
        ("\ufeffzero\u200bwidth", "zerowidth", "zerowidth"),
        ("evil\u202etxt.exe\u2066x\u2069", "eviltxt.exex", "eviltxt.exex"),
        ("no\u00a0break\u2009thin", "no break thin", "no break thin"),
        ("a    b", "a b", "a    b"),
        ("line 1   \nline 2", "line 1 line 2", "line 1\nline 2"),
        ("bad\ud800surrogate\uffff", "badsurrogate", "badsurrogate"),
        ("\x0b\x0b", "", ""),
        ("", "", ""),
    ],
)
def test_normalize_text(raw, single, multi):
    assert normalize_text(raw) == single
    assert normalize_text(raw, multiline=True) == multi


def test_normalising_twice_changes_nothing():
    for raw in ["Giám đốc\vSở  ", "a\r\n\r\nb\t \n", "Nguye\u0302\u0303n\u00a0\u00a0An"]:
        for multiline in (False, True):
            once = normalize_text(raw, multiline=multiline)
            assert normalize_text(once, multiline=multiline) == once


# --- Every form of the project ------------------------------------------------------------


def _project_form_classes() -> set[type]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" in info.name or info.name in SKIPPED_MODULES:
                continue
            importlib.import_module(info.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # A model form base without a model (StaffFieldsForm) is checked through its subclasses.
        abstract = issubclass(cls, forms.BaseModelForm) and (
            not hasattr(cls, "_meta") or cls._meta.model is None
        )
        if cls.__module__.split(".")[0] in PACKAGES and not abstract:
            found.add(cls)
    return found


def _factory_form_classes() -> set[type]:
    made = set()
    for section in SECTIONS:
        if not section.editable:
            continue
        if section.is_table:
            made.add(section_formset_class(section).form)
        else:
            made.add(section_form_class(section, section.fields))
    return made


def _admin_form_classes() -> set[type]:
    """The add forms of the administration site (read-only screens have no inputs)."""
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    made = set()
    for model_admin in admin.site._registry.values():
        if not model_admin.has_add_permission(request):
            continue
        made.add(model_admin.get_form(request, None))
        for inline in model_admin.get_inline_instances(request, None):
            made.add(inline.get_formset(request, None).form)
    return made


DIRTY = " Pho\u0300ng\vTổ\u00a0chức\x00 "
CLEAN = "Phòng Tổ chức"
CLEAN_MULTILINE = "Phòng\nTổ chức"


def _bound(form_class, data=None):
    """The form bound to ``data``; forms that need more to be built (the signed-in user, the
    request, the staff record…) get a plausible one."""
    data = QueryDict(mutable=True) if data is None else data
    try:
        return form_class(data)
    except TypeError:
        pass
    request = RequestFactory().post("/")
    user = User.objects.filter(is_active=True).first()
    request.user = user
    parameters = inspect.signature(form_class.__init__).parameters
    positional = [user] if "user" in parameters else []
    extra = {
        name: {"request": request, "staff": None}.get(name)
        for name, parameter in parameters.items()
        if parameter.kind == parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    }
    return form_class(*positional, data, **extra)


def test_the_walk_finds_the_forms_it_must(world):
    names = {cls.__name__ for cls in _project_form_classes()}
    assert {"StaffCreateForm", "TransferForm", "StatusChangeForm",
            "PhotoForm", "SalaryRecordForm", "DueListForm", "DecisionActionForm", "ExportForm",
            "OrgUnitAdminForm", "RoleGrantForm"} <= names  # fmt: skip
    assert len(_admin_form_classes()) >= 12


def test_every_form_of_the_project_normalises_submitted_text(world):
    classes = _project_form_classes() | _factory_form_classes() | _admin_form_classes()
    checked_text_fields = 0
    for form_class in classes:
        empty = _bound(form_class)
        data = QueryDict(mutable=True)
        for name in empty.fields:
            data[empty.add_prefix(name)] = DIRTY
        form = _bound(form_class, data)
        for name, field in form.fields.items():
            bound = form[name]
            assert isinstance(bound, NormalizedBoundField), (form_class, name)
            if not normalizes(field) or isinstance(
                field.widget, forms.FileInput | forms.CheckboxInput
            ):
                continue
            expected = CLEAN_MULTILINE if isinstance(field.widget, forms.Textarea) else CLEAN
            value = bound.data
            if isinstance(field.widget, forms.MultiWidget):  # date and time, each normalised
                assert value == [expected] * len(field.widget.widgets), (form_class, name)
            else:
                assert value in (expected, [expected]), (form_class, name, value)
            if isinstance(field, forms.CharField):
                checked_text_fields += 1
    assert checked_text_fields > 100


def test_passwords_are_left_exactly_as_typed(world):
    from django.contrib.auth.forms import PasswordChangeForm

    form = PasswordChangeForm(world.clerk, {"old_password": " pass\vword "})
    assert form["old_password"].data == " pass\vword "
