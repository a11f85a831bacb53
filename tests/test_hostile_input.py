"""What a hostile tester typed, pasted or uploaded (issue 8, "Bad input"): each refusal names
the field in Vietnamese and saves nothing; nothing answers 500."""

import datetime
import io
import random
import struct
import zlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hrms.lib.db import AddConstraintNotValid
from payroll.models import Rank, SalaryRecord
from payroll.services import salary_draft_create
from personnel.models import FamilyMember, Movement, Staff, Training
from personnel.services import staff_update

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


# --- Photos -----------------------------------------------------------------------------------


def huge_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of the given size, built row by row without ever holding the
    image: 13,000 × 13,000 pixels take about 20 KB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )  # fmt: skip

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte and the row's bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def noise_png() -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("L", (100, 100), random.Random(8).randbytes(10_000)).save(buffer, "PNG")
    return buffer.getvalue()


def camera_jpeg(size=(4000, 3000), orientation=6) -> bytes:
    """A camera-like JPEG: landscape pixels, EXIF saying "turn it a quarter" and a GPS tag."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=70)
    return buffer.getvalue()


@pytest.fixture
def photo_upload(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = world.staff_in_a1
    client = client_for(world.clerk)

    def upload(content: bytes, name="anh.png", content_type="image/png"):
        response = client.post(
            reverse("personnel:staff_photo_edit", args=[staff.pk]),
            {"version": Staff.objects.get(pk=staff.pk).version,
             "photo": SimpleUploadedFile(name, content, content_type)},
            follow=True,
        )  # fmt: skip
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        return Staff.objects.get(pk=staff.pk), errors

    return upload


def test_a_tiny_png_of_huge_dimensions_is_refused_before_it_is_decoded(photo_upload):
    bomb = huge_png(13_000, 13_000)
    assert len(bomb) < 40_000
    staff, errors = photo_upload(bomb)
    assert not staff.photo
    assert errors == ["Ảnh: Ảnh có quá nhiều điểm ảnh: tối đa 40 triệu, và 10.000 mỗi chiều."]


@pytest.mark.parametrize("size", [(10_001, 8), (8, 10_001), (8_000, 5_001)])
def test_images_over_the_pixel_limits_are_refused(photo_upload, size):
    staff, errors = photo_upload(huge_png(*size))
    assert not staff.photo and "quá nhiều điểm ảnh" in errors[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 100, "JPEG hoặc PNG"),
        (b"not an image", "JPEG hoặc PNG"),
        (noise_png()[:3000], "JPEG hoặc PNG"),  # cut off in the middle
        (b"\x00" * (2 * 1024 * 1024 + 1), "2 MB"),
    ],
)
def test_files_that_are_not_usable_photos_are_refused(photo_upload, content, message):
    staff, errors = photo_upload(content)
    assert not staff.photo and errors[0].startswith("Ảnh:") and message in errors[0], errors


def test_a_gif_is_refused_even_when_it_is_a_real_image(photo_upload):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80)).save(buffer, "GIF")
    staff, errors = photo_upload(buffer.getvalue(), "anh.gif", "image/gif")
    assert not staff.photo and "JPEG hoặc PNG" in errors[0]


def test_a_camera_photo_is_stored_small_upright_and_without_its_exif(photo_upload):
    original = camera_jpeg()
    staff, errors = photo_upload(original, "IMG_0001.JPG", "image/jpeg")
    assert errors == []
    with staff.photo.open("rb") as file:
        stored = file.read()
    assert staff.photo.name.startswith("photos/photo") and staff.photo.name.endswith(".jpg")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 800)  # turned upright, then made small
        assert not image.getexif() and "exif" not in image.info
        top, bottom = image.getpixel((300, 20)), image.getpixel((300, 780))
    assert top[2] > 150 and bottom[0] > 150  # the blue half went to the top
    assert b"PhoneMaker" not in stored and len(stored) < len(original)


def test_a_transparent_png_is_stored_on_white(photo_upload):
    image = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 150, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    staff, errors = photo_upload(buffer.getvalue())
    assert errors == []
    with staff.photo.open("rb") as file, Image.open(file) as stored:
        assert stored.size == (300, 400)
        assert stored.getpixel((250, 200)) >= (250, 250, 250)
        assert stored.getpixel((50, 200))[1] > 100


# --- Bounds: forms --------------------------------------------------------------------------


def movement(client, staff, kind: str, day: str):
    data = {"version": Staff.objects.get(pk=staff.pk).version, "effective_date": day,
            "decision": "", "note": ""}  # fmt: skip
    if kind == "transfer":
        data |= {"to_unit": staff.unit_id, "position": ""}
    return client.post(reverse("personnel:staff_movement", args=[staff.pk, kind]), data)


@pytest.mark.parametrize(
    ("kind", "day", "message"),
    [
        ("unpaid_leave", "01/01/0001", "trước năm 1900"),
        ("retirement", "01/01/0001", "trước năm 1900"),
        ("transfer", "01/01/0001", "trước năm 1900"),
        ("death", "01/01/1950", "trước ngày sinh"),  # born 17/05/1985
        ("death", "16/05/1985", "trước ngày sinh"),
        ("unpaid_leave", "31/12/9999", "quá xa"),
        ("resignation", "01/01/2032", "quá xa"),  # today + 5 years ends on 31/12/2031
    ],
)
def test_movement_dates_out_of_bounds_are_refused_by_field(world, client_for, kind, day, message):
    staff = world.staff_in_a1
    response = movement(client_for(world.clerk), staff, kind, day)
    assert message in field_errors(response, "effective_date")
    fresh = Staff.objects.get(pk=staff.pk)
    assert (fresh.status, fresh.version, fresh.movements.count()) == ("active", 1, 0)


def test_a_death_on_the_day_of_birth_and_leave_planned_five_years_ahead_are_accepted(
    world, client_for
):
    client = client_for(world.clerk)
    assert movement(client, world.staff_in_a1, "unpaid_leave", "31/12/2031").status_code == 302
    assert movement(client, world.staff_in_a, "death", "17/05/1985").status_code == 302


def test_a_movement_cannot_come_before_the_latest_one(world, client_for):
    client = client_for(world.clerk)
    staff = world.staff_in_a1
    assert movement(client, staff, "unpaid_leave", "01/03/2026").status_code == 302
    response = movement(client, staff, "return", "01/02/2026")
    assert "không thể trước ngày đó" in field_errors(response, "effective_date")
    assert Staff.objects.get(pk=staff.pk).status == "unpaid_leave"


@pytest.mark.parametrize(
    ("section", "changes", "field", "message"),
    [
        ("identity", {"birth_date": "1000"}, "birth_date", "trước năm 1900"),
        ("identity", {"birth_date": "31/12/1899"}, "birth_date", "trước năm 1900"),
        ("residence", {"phone": "abc"}, "phone", "8 đến 15 chữ số"),
        ("residence", {"phone": "0912-345-678"}, "phone", "8 đến 15 chữ số"),
        ("residence", {"phone": "+84 912.34"}, "phone", "8 đến 15 chữ số"),
        ("employment", {"recruitment_date": "01/01/0001"}, "recruitment_date", "trước ngày sinh"),
        ("employment", {"position_since": "31/12/9999"}, "position_since", "quá xa"),
        ("party", {"party_admission_date": "1899"}, "party_admission_date", "trước ngày sinh"),
        ("identity", {"birth_date": "01/01/2027"}, "birth_date", "tương lai"),
        ("identifiers", {"personal_id_issued_on": "09/09/9999"}, "personal_id_issued_on",
         "tương lai"),
    ],
)  # fmt: skip
def test_staff_fields_out_of_bounds_are_refused_by_field(
    world, client_for, section, changes, field, message
):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    response = client.post(edit(staff, section), section_data(client, staff, section, **changes))
    assert message in field_errors(response, field)
    assert Staff.objects.get(pk=staff.pk).version == 1


@pytest.mark.parametrize("phone", ["0912345678", "+84 912 345 678", "024.3825.1234", "02438251234"])
def test_phones_made_of_digits_spaces_and_dots_are_accepted(world, client_for, phone):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    response = client.post(edit(staff, "residence"), section_data(client, staff, "residence",
                                                                  phone=phone))  # fmt: skip
    assert response.status_code == 302
    assert Staff.objects.get(pk=staff.pk).phone == phone


def test_a_planned_transfer_with_a_new_position_leaves_the_employment_section_editable(
    world, client_for
):
    staff, client = world.staff_in_a1, client_for(world.clerk)
    response = client.post(
        reverse("personnel:staff_movement", args=[staff.pk, "transfer"]),
        {"version": staff.version, "to_unit": world.unit_a.pk, "effective_date": "01/09/2027",
         "decision": "", "position": "Phó hiệu trưởng", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    data = section_data(client, staff, "employment", occupation_when_recruited="Giáo viên")
    assert data["position_since"] == ""  # a transfer keeps the appointment date (rules §8.6)
    assert client.post(edit(staff, "employment"), data).status_code == 302
    rows = client.get(edit(staff, "work_history")).context["formset"]
    data = {"version": Staff.objects.get(pk=staff.pk).version, **{
        field.html_name: "" if field.value() is None else str(field.value())
        for form in rows.forms for field in form if field.name != "DELETE"
    }, **{field.html_name: field.value() for field in rows.management_form}}  # fmt: skip
    assert client.post(edit(staff, "work_history"), data).status_code == 302


def test_a_birth_date_after_dates_kept_elsewhere_on_the_record_is_refused(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    assert movement(client, staff, "unpaid_leave", "01/03/2020").status_code == 302
    response = client.post(
        edit(staff, "identity"), section_data(client, staff, "identity", birth_date="2021")
    )
    assert "01/03/2020" in field_errors(response, "birth_date")


def rows_post(client, staff, section, rows: list[dict]):
    data = {
        "version": Staff.objects.get(pk=staff.pk).version,
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": 0,
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data |= {f"rows-{index}-{key}": value for key, value in {"staff": staff.pk, **row}.items()}
    return client.post(edit(staff, section), data)


@pytest.mark.parametrize(
    ("section", "row", "field", "message"),
    [
        ("training", {"school": "X", "start": "1000"}, "start", "1900"),
        ("training", {"school": "X", "start": "1980"}, "start", "trước ngày sinh"),
        ("training", {"school": "X", "start": "2020", "end": "9999"}, "end", "quá xa"),
        ("work_history", {"unit_name": "X", "start": "01/2032"}, "start", "quá xa"),
        ("training", {"school": "X", "start": "01/2030"}, "start", "tương lai"),
        ("family", {"relation": "father", "full_name": "X", "birth_year": "1000"}, "birth_year",
         "1900"),
        ("family", {"relation": "child", "full_name": "X", "birth_year": "2999"}, "birth_year",
         "tương lai"),
        ("awards", {"year": "1000", "form": "Bằng khen"}, "year", "1900"),
        ("certificates", {"kind": "it", "name": "Tin học", "issued_on": "0001"}, "issued_on",
         "dd/mm/yyyy"),
        ("certificates", {"kind": "it", "name": "Tin học", "issued_on": "1899"}, "issued_on",
         "1900"),
    ],
)  # fmt: skip
def test_rows_out_of_bounds_are_refused_by_field(world, client_for, section, row, field, message):
    staff = world.staff_in_a1
    response = rows_post(client_for(world.clerk), staff, section, [row])
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert Staff.objects.get(pk=staff.pk).version == 1


def salary_form(**changes) -> dict:
    data = {
        "kind": "regular",
        "rank": Rank.objects.get(code="01.003").pk,
        "step": "4",
        "effective_date": "01/10/2026",
        "beyond_scale_percent": "0",
        "leadership_coefficient": "0",
        "reserved_coefficient": "0",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"leadership_coefficient": "-0.5"}, "leadership_coefficient", "không được âm"),
        ({"reserved_coefficient": "-1"}, "reserved_coefficient", "không được âm"),
        ({"step": "9", "beyond_scale_percent": "150"}, "beyond_scale_percent", "100"),
        ({"step": "9", "beyond_scale_percent": "-5"}, "beyond_scale_percent", "0"),
        ({"effective_date": "31/12/9999"}, "effective_date", "quá xa"),
        ({"effective_date": "01/01/0001"}, "effective_date", "1900"),
        ({"decision_date": "01/01/0001"}, "decision_date", "1900"),
        ({"step_since": "01/01/0001"}, "step_since", "1900"),
        ({"leadership_coefficient": "NaN"}, "leadership_coefficient", "Nhập một số"),
        ({"reserved_coefficient": "1e999"}, "reserved_coefficient", ""),
    ],
)
def test_salary_values_out_of_bounds_are_refused_by_field(
    world, salaries, client_for, changes, field, message
):
    url = reverse("payroll:staff_salary_new", args=[world.staff_in_a.pk])
    response = client_for(world.clerk).post(url, salary_form(**changes))
    assert message in field_errors(response, field)
    assert not SalaryRecord.objects.filter(status="draft").exists()


def test_the_service_refuses_what_the_form_would(world, salaries):
    values = {"kind": "regular", "rank": Rank.objects.get(code="01.003"), "step": 4,
              "effective_date": D(2026, 10, 1), "leadership_coefficient": Decimal("-1"),
              "reserved_coefficient": Decimal("-2")}  # fmt: skip
    with pytest.raises(ValidationError) as error:
        salary_draft_create(staff=world.staff_in_a, values=values, actor=world.clerk)
    assert {"leadership_coefficient", "reserved_coefficient"} <= set(error.value.message_dict)


def test_a_decision_far_ahead_no_longer_blocks_the_later_ones(world, salaries, client_for):
    url = reverse("payroll:staff_salary_new", args=[world.staff_in_a.pk])
    client = client_for(world.clerk)
    assert client.post(url, salary_form(effective_date="31/12/9999")).status_code == 200
    assert client.post(url, salary_form()).status_code == 302


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("01/01/0001", "31/03/0001", "start", "1900"),
        ("01/01/9999", "31/12/9999", "start", "quá xa"),
        ("01/01/2026", "31/12/9999", "end", "quá xa"),
        ("01/01/1899", "31/12/1899", "end", "1900"),
    ],
)
def test_due_lists_for_absurd_years_answer_with_a_message(
    world, salaries, client_for, start, end, field, message
):
    for kind in ("regular", "beyond", "early", "retirement"):
        response = client_for(world.clerk).get(
            reverse("payroll:due_list"), {"list": kind, "start": start, "end": end}
        )
        assert response.context["rows"] is None
        assert message in field_errors(response, field)


def test_due_lists_at_the_edges_of_the_bounds_work(world, salaries, client_for):
    client = client_for(world.clerk)
    for kind in ("regular", "beyond", "early", "retirement"):
        for start, end in [("01/01/1900", "31/12/1902"), ("01/01/2029", "31/12/2031")]:
            response = client.get(
                reverse("payroll:due_list"), {"list": kind, "start": start, "end": end}
            )
            assert response.status_code == 200 and response.context["rows"] is not None


# --- Bounds: the database -------------------------------------------------------------------


def refused_by_database(save) -> str:
    """The constraint the database names when it refuses ``save()``."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save()
    return error.value.__cause__.diag.constraint_name


def test_the_database_refuses_staff_values_out_of_bounds(world):
    staff = Staff.objects.get(pk=world.staff_in_a1.pk)
    cases = {
        "staff_date_of_birth_range": {"birth_date": "1000"},
        "staff_phone_format": {"phone": "abc"},
        "staff_recruitment_date_range": {"recruitment_date": D(1980, 1, 1)},  # before birth
        "staff_status_since_range": {"status_since": D(9999, 12, 31)},
        "staff_party_official_date_after_party_admission_date": {
            "party_admission_date": "2012", "party_official_date": "2011"
        },
    }  # fmt: skip
    for constraint, values in cases.items():
        for name, value in values.items():
            setattr(staff, name, value)
        assert refused_by_database(staff.save) == constraint
        staff = Staff.objects.get(pk=staff.pk)


def test_the_database_refuses_rows_movements_and_decisions_out_of_bounds(world, salaries):
    staff = world.staff_in_a1
    record = SalaryRecord.objects.get(pk=salaries["a1"].pk)
    cases = [
        ("training_end_after_start",
         lambda: Training.objects.create(staff=staff, school="X", start="2010", end="2009")),
        ("familymember_birth_year_range",
         lambda: FamilyMember.objects.create(staff=staff, relation="father", full_name="X",
                                             birth_year=1000)),
        ("movement_effective_date_range",
         lambda: Movement.objects.create(staff=staff, kind="unpaid_leave",
                                         effective_date=D(9999, 12, 31))),
        ("movement_not_before_birth",  # a trigger: the date of birth is in another table
         lambda: Movement.objects.create(staff=staff, kind="death", effective_date=D(1950, 1, 1))),
        ("salary_coefficients_not_negative",
         lambda: SalaryRecord.objects.filter(pk=record.pk).update(leadership_coefficient=-1)),
        ("salary_beyond_scale_percent_range",
         lambda: SalaryRecord.objects.filter(pk=record.pk).update(beyond_scale_percent=150)),
        ("salary_effective_date_range",
         lambda: SalaryRecord.objects.filter(pk=record.pk).update(effective_date=D(9999, 12, 31),
                                                                 step_since=D(2022, 12, 1))),
        ("salary_decision_date_range",
         lambda: SalaryRecord.objects.filter(pk=record.pk).update(decision_date=D(2999, 1, 1))),
    ]  # fmt: skip
    for constraint, save in cases:
        assert refused_by_database(save) == constraint


def test_the_database_bounds_follow_the_local_day_and_the_planning_limit(world):
    staff = Staff.objects.get(pk=world.staff_in_a1.pk)
    today = timezone.localdate()
    staff.recruitment_date, staff.status_since = today, D(today.year + 5, 12, 31)
    staff.save()  # today in Hà Nội and the last planned day pass
    staff.recruitment_date = today + datetime.timedelta(days=1)
    assert refused_by_database(staff.save) == "staff_recruitment_date_range"
    staff.recruitment_date, staff.status_since = today, D(today.year + 6, 1, 1)
    assert refused_by_database(staff.save) == "staff_status_since_range"


def test_rows_stored_before_the_bounds_stay_and_name_their_field_when_the_record_changes(world):
    """A constraint added NOT VALID keeps what was stored, refuses new bad values, and the
    service says which field is wrong when a record holding an old bad value is saved."""
    staff = world.staff_in_a1
    constraint = next(c for c in Staff._meta.constraints if c.name == "staff_phone_format")
    with connection.cursor() as cursor:  # the fixtures' deferred checks, before altering
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Staff, constraint)
    Staff.objects.filter(pk=staff.pk).update(phone="abc")
    project = ProjectState.from_apps(apps)
    operation = AddConstraintNotValid("staff", constraint)
    with connection.schema_editor() as editor:
        operation.database_forwards("personnel", editor, project, project)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT convalidated FROM pg_constraint WHERE conname = 'staff_phone_format'"
        )
        assert cursor.fetchone() == (False,)
    assert Staff.objects.get(pk=staff.pk).phone == "abc"
    with pytest.raises(ValidationError) as error:
        staff_update(staff_id=staff.pk, expected_version=staff.version,
                     changes={"current_residence": "Hà Nội"}, actor=world.clerk)  # fmt: skip
    assert "Điện thoại: từ 8 đến 15 chữ số" in error.value.messages[0]
    assert Staff.objects.get(pk=staff.pk).current_residence == ""


def test_a_constraint_is_validated_when_the_stored_rows_pass(world):
    constraint = next(c for c in Staff._meta.constraints if c.name == "staff_phone_format")
    with connection.cursor() as cursor:  # the fixtures' deferred checks, before altering
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Staff, constraint)
    project = ProjectState.from_apps(apps)
    with connection.schema_editor() as editor:
        AddConstraintNotValid("staff", constraint).database_forwards(
            "personnel", editor, project, project
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT convalidated FROM pg_constraint WHERE conname = 'staff_phone_format'"
        )
        assert cursor.fetchone() == (True,)
