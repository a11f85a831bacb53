"""Every page that shows sensitive data or the photo leaves an entry in the access log."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from personnel.models import AccessLogEntry, Staff
from tests.factories import png_bytes


def test_opening_the_discipline_rows_form_is_logged(world, client_for):
    staff = world.staff_in_a1
    response = client_for(world.clerk).get(
        reverse("personnel:staff_edit", args=[staff.pk, "disciplines"])
    )
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.REVEAL_SENSITIVE)
    assert (entry.user, entry.staff, entry.detail) == (
        world.clerk,
        staff,
        {"items": ["disciplines"], "for": "edit"},
    )
    assert entry.path.endswith("/edit/disciplines/")


def test_a_table_without_sensitive_items_is_not_logged_as_a_reveal(world, client_for):
    staff = world.staff_in_a1
    client_for(world.clerk).get(reverse("personnel:staff_edit", args=[staff.pk, "training"]))
    assert not AccessLogEntry.objects.exists()


def with_photo(staff: Staff) -> Staff:
    staff.photo.save("anh.png", ContentFile(png_bytes()), save=True)
    return staff


def get_photo(client, staff: Staff):
    response = client.get(reverse("personnel:staff_photo", args=[staff.pk]))
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize(
    ("persona", "record"),
    [("clerk", "staff_in_a1"), ("head", "staff_in_a1"), ("staff_user", "own_record")],
)
def test_viewing_a_photo_is_logged(world, client_for, settings, tmp_path, persona, record):
    settings.MEDIA_ROOT = tmp_path
    staff = with_photo(getattr(world, record))
    user = getattr(world, persona)
    assert get_photo(client_for(user), staff).status_code == 200
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW_PHOTO)
    assert (entry.user, entry.staff) == (user, staff)
    assert entry.path == reverse("personnel:staff_photo", args=[staff.pk])


def test_an_outsider_gets_no_photo_and_leaves_no_entry(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = with_photo(world.staff_in_a1)
    assert get_photo(client_for(world.outsider), staff).status_code == 404
    assert not AccessLogEntry.objects.exists()
