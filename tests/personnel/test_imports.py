"""Staff import: reading loose files, every kind of refusal, the province-wide match, the
commit with its history, the undo."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pghistory.models import Events

from personnel import services
from personnel.models import ImportBatch, ImportRecord, Staff, WorkHistory
from personnel.services import imports
from tests.personnel.import_helpers import person, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def batch_of(world, content: bytes, *, user=None, name="nhan-su.xlsx", unit=None):
    user = world.clerk if user is None else user
    return imports.import_batch_create(
        user=user, unit=unit or world.unit_a1, upload=content, file_name=name
    )


def check(world, content, **kwargs) -> dict:
    batch = batch_of(world, content, **kwargs)
    return imports.import_check(batch=batch)


def refusals(report) -> list[tuple[int, str, str]]:
    return [(item["row"], item["column"], item["message"]) for item in report["refusals"]]


def test_a_template_file_is_checked_without_writing_anything(world):
    report = check(world, xlsx([person(), person(personal_id="001085000002",
                                                 staff_number="IMP0002", full_name="Hà Thu")]))
    assert (report["created"], report["updated"], report["refused"]) == (2, 0, 0)
    assert not Staff.objects.filter(staff_number__startswith="IMP").exists()


def test_a_committed_batch_creates_records_with_their_history_and_work_history(world):
    batch = batch_of(world, xlsx([person(), person(personal_id="001085000002",
                                                   staff_number="IMP0002", full_name="Hà Thu",
                                                   birth_date="1962")]))
    report = imports.import_commit(batch=batch)
    assert report["created"] == 2
    khoa = Staff.objects.get(staff_number="IMP0001")
    assert (khoa.unit, khoa.full_name, khoa.rank.code) == (world.unit_a1, "Đỗ Minh Khoa",
                                                           "V.07.03.29")
    assert str(khoa.birth_date) == "12/03/1985" and khoa.sort_key
    assert str(Staff.objects.get(staff_number="IMP0002").birth_date) == "1962"
    assert WorkHistory.objects.filter(staff=khoa, unit=world.unit_a1).count() == 1
    event = Events.objects.filter(pgh_obj_model="personnel.Staff", pgh_obj_id=khoa.pk).get()
    assert event.pgh_context["import_batch"] == str(batch.pk)
    assert event.pgh_context["user"] == world.clerk.pk
    assert ImportRecord.objects.filter(batch=batch, action="created").count() == 2
