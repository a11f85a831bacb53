"""What a hostile tester typed, pasted or uploaded (issue 8, "Bad input"): each refusal names
the field in Vietnamese and saves nothing; nothing answers 500."""

import datetime

from django.urls import reverse

from personnel.models import Staff

D = datetime.date


def edit(staff, section: str) -> str:
    return reverse("personnel:staff_edit", args=[staff.pk, section])


def section_data(client, staff, section: str, **changes) -> dict:
    """What the section's form would post back unchanged, with ``changes``."""
    form = client.get(edit(staff, section)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else str(value)) for key, value in data.items()}
    data.update(changes)
    return data


def field_errors(response, field: str) -> str:
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


# --- Text pasted from Word --------------------------------------------------------------------


def test_control_characters_pasted_from_word_are_not_saved(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    data = section_data(
        client,
        staff,
        "employment",
        position_title="Phó\vTrưởng\u00a0phòng\x00",
        main_duties="Dạy\vToán\r\nChủ nhiệm\x1b lớp 9A\t",
    )
    assert client.post(edit(staff, "employment"), data).status_code == 302
    staff.refresh_from_db()
    assert staff.position_title == "Phó Trưởng phòng"
    assert staff.main_duties == "Dạy\nToán\nChủ nhiệm lớp 9A"


def test_decomposed_vietnamese_is_stored_precomposed(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    data = section_data(client, staff, "residence", current_residence="Ha\u0300 No\u0302\u0323i")
    assert client.post(edit(staff, "residence"), data).status_code == 302
    assert Staff.objects.get(pk=staff.pk).current_residence == "Hà Nội"
