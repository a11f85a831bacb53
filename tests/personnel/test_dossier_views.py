"""The staff page as the clerk, the head, the staff member and an outsider use it."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hrms.lib.partial_dates import PartialDate
from personnel.models import (
    AccessLogEntry,
    AnnualRating,
    Discipline,
    DisciplineType,
    EthnicGroup,
    Rank,
    RatingLevel,
    Staff,
    Training,
)
from tests.factories import StaffFactory, png_bytes

PNG = png_bytes()


def text(response) -> str:
    return response.content.decode()


def detail(staff) -> str:
    return reverse("personnel:staff_detail", args=[staff.pk])


def edit(staff, section: str) -> str:
    return reverse("personnel:staff_edit", args=[staff.pk, section])


@pytest.fixture
def filled(world):
    """A record with sensitive items and table rows filled in."""
    staff = world.staff_in_a1
    staff.ethnicity = EthnicGroup.objects.get(code="06")  # Mường
    staff.party_admission_date = PartialDate(2010, 5, 19)
    staff.health_status = "Tiểu đường"
    staff.history_relatives_abroad = "Em trai ở Nhật Bản"
    staff.save()
    Training.objects.create(
        staff=staff,
        school="Trường Đại học Vinh",
        start=PartialDate(2003, 9),
        end=PartialDate(2007, 6),
        degree="Cử nhân",
    )
    Discipline.objects.create(
        staff=staff,
        date=datetime.date(2024, 3, 1),
        kind=DisciplineType.objects.get(code="VC-KT"),
        reason="Đi muộn",
    )
    return staff


# --- Viewing and sensitive items -------------------------------------------------------------


def test_clerk_sees_every_section_with_sensitive_items_hidden_until_revealed(
    world, filled, client_for
):
    client = client_for(world.clerk)
    page = text(client.get(detail(filled)))
    for title in (
        "Thông tin cá nhân",
        "Giấy tờ tùy thân và mã số",
        "Nơi ở và liên lạc",
        "Tuyển dụng và chức vụ",
        "Trình độ",
        "Đảng và đoàn thể",
        "Nghĩa vụ quân sự, danh hiệu, sở trường",
        "Sức khỏe và diện chính sách",
        "Đào tạo, bồi dưỡng",
        "Quá trình công tác",
        "Đặc điểm lịch sử bản thân",
        "Quan hệ gia đình",
        "Khen thưởng",
        "Kỷ luật",
        "Đánh giá, xếp loại hằng năm",
        "Chứng chỉ ngoại ngữ, tin học",
        "Nhận xét, đánh giá",
    ):
        assert title in page, title
    assert "Trường Đại học Vinh" in page
    for secret in ("Mường", "19/05/2010", "Tiểu đường", "Em trai ở Nhật Bản", "Đi muộn"):
        assert secret not in page, secret
    assert "Hiện thông tin nhạy cảm" in page

    response = client.post(reverse("personnel:staff_reveal", args=[filled.pk]))
    assert response.status_code == 302
    page = text(client.get(detail(filled)))
    for secret in ("Mường", "19/05/2010", "Tiểu đường", "Em trai ở Nhật Bản", "Đi muộn"):
        assert secret in page, secret
    reveal = AccessLogEntry.objects.get(action="reveal", staff=filled)
    assert reveal.user == world.clerk and "ethnicity" in reveal.detail["items"]


def test_every_view_of_a_dossier_is_logged(world, client_for):
    client_for(world.head).get(detail(world.staff_in_a1))
    entry = AccessLogEntry.objects.get(action="view")
    assert (entry.user, entry.staff, entry.path) == (
        world.head,
        world.staff_in_a1,
        detail(world.staff_in_a1),
    )


def test_unit_head_cannot_reveal_sensitive_items(world, filled, client_for):
    client = client_for(world.head)
    page = text(client.get(detail(filled)))
    assert "Hiện thông tin nhạy cảm" not in page and "Mường" not in page
    assert client.post(reverse("personnel:staff_reveal", args=[filled.pk])).status_code == 403
    assert not AccessLogEntry.objects.filter(action="reveal").exists()


def test_staff_see_their_own_dossier_read_only_with_their_own_sensitive_items(world, client_for):
    own = world.own_record
    own.religion_id = None
    own.health_status = "Tốt"
    own.save()
    client = client_for(world.staff_user)
    page = text(client.get(detail(own)))
    assert "Tốt" in page and "đang ẩn" not in page
    assert reverse("personnel:staff_edit", args=[own.pk, "identity"]) not in page
    assert client.get(edit(own, "residence")).status_code == 403
    assert client.get(detail(world.staff_in_a1)).status_code == 404


def test_outsiders_get_404_for_every_dossier_page(world, client_for):
    client = client_for(world.outsider)
    staff = world.staff_in_a1
    for url in (
        detail(staff),
        edit(staff, "identity"),
        reverse("personnel:staff_history", args=[staff.pk]),
        reverse("personnel:staff_movement", args=[staff.pk, "transfer"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("personnel:staff_reveal", args=[staff.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


# --- Editing ---------------------------------------------------------------------------------


def identity_form(staff, **changes) -> dict:
    data = {
        "version": staff.version,
        "full_name": staff.full_name,
        "other_names": "",
        "birth_date": str(staff.birth_date),
        "sex": staff.sex,
        "birth_commune": "",
        "birth_district": "",
        "birth_province": "",
        "home_commune": "",
        "home_district": "",
        "home_province": "",
        "ethnicity": "",
        "religion": "",
    }
    data.update(changes)
    return data


def test_clerk_edits_a_section(world, client_for):
    staff = world.staff_in_a1
    kinh = EthnicGroup.objects.get(code="01")
    response = client_for(world.clerk).post(
        edit(staff, "identity"),
        identity_form(
            staff,
            full_name="  Trần   Thị  Bình ",
            birth_date="03/1985",
            ethnicity=kinh.pk,
            birth_province="Tỉnh Ninh Bình",
        ),
    )
    assert response.status_code == 302 and response.url.endswith("#identity")
    staff.refresh_from_db()
    assert (staff.full_name, str(staff.birth_date), staff.ethnicity, staff.version) == (
        "Trần Thị Bình",
        "03/1985",
        kinh,
        2,
    )
    assert staff.date_of_birth == datetime.date(1985, 3, 1)


def test_opening_a_form_with_sensitive_items_is_logged(world, client_for):
    client_for(world.clerk).get(edit(world.staff_in_a1, "identity"))
    assert AccessLogEntry.objects.get(action="reveal").detail["for"] == "edit"


@pytest.mark.parametrize(
    ("section", "changes", "field", "message"),
    [
        ("identity", {"birth_date": "01/01/2999"}, "birth_date", "tương lai"),
        ("identity", {"birth_date": "31/02/1990"}, "birth_date", "dd/mm/yyyy"),
        ("identity", {"full_name": ""}, "full_name", "bắt buộc"),
        ("identifiers", {"personal_id": "1234"}, "personal_id", "12 chữ số"),
        ("identifiers", {"tax_code": "0100109107"}, "tax_code", "chữ số kiểm tra"),
        ("identifiers", {"social_insurance_number": "12"}, "social_insurance_number", "10 chữ số"),
        (
            "identifiers",
            {"personal_id_issued_on": "01/01/1970"},
            "personal_id_issued_on",
            "trước ngày sinh",
        ),
        (
            "party",
            {"party_admission_date": "2012", "party_official_date": "2011"},
            "party_official_date",
            "không được trước ngày vào Đảng",
        ),
        ("health", {"height_cm": "20"}, "height_cm", "80"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world, client_for, section, changes, field, message
):
    staff = Staff.objects.get(pk=world.staff_in_a1.pk)
    client = client_for(world.clerk)
    form = client.get(edit(staff, section)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {key: (str(value) if value is not None else "") for key, value in data.items()}
    data.update(changes)
    response = client.post(edit(staff, section), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors[field]
    fresh = Staff.objects.get(pk=staff.pk)
    assert fresh.version == staff.version
    assert fresh.full_name == staff.full_name and fresh.personal_id == staff.personal_id


def test_a_duplicate_personal_id_in_scope_names_the_existing_record(world, client_for):
    staff = world.staff_in_a1
    form = {
        "version": staff.version,
        "personal_id": world.staff_in_a.personal_id,
        "personal_id_issued_on": "",
        "personal_id_issued_by": "",
        "old_id_number": "",
        "tax_code": "",
        "social_insurance_number": "",
    }
    response = client_for(world.clerk).post(edit(staff, "identifiers"), form)
    error = " ".join(response.context["form"].errors["personal_id"])
    assert "Nguyễn Văn An" in error and world.staff_in_a.staff_number in error


def test_a_duplicate_personal_id_out_of_scope_reveals_nothing(world, client_for):
    staff = world.staff_in_a1
    form = {
        "version": staff.version,
        "personal_id": world.staff_in_b.personal_id,
        "personal_id_issued_on": "",
        "personal_id_issued_by": "",
        "old_id_number": "",
        "tax_code": "",
        "social_insurance_number": "",
    }
    response = client_for(world.clerk).post(edit(staff, "identifiers"), form)
    error = " ".join(response.context["form"].errors["personal_id"])
    assert "đơn vị khác" in error
    assert "Phạm Văn Dũng" not in error and world.staff_in_b.staff_number not in error


def test_personal_id_that_disagrees_with_the_record_is_saved_with_a_warning(world, client_for):
    staff = world.staff_in_a1  # recorded as male, born 1985
    form = {
        "version": staff.version,
        "personal_id": "037185999999",
        "personal_id_issued_on": "",
        "personal_id_issued_by": "",
        "old_id_number": "",
        "tax_code": "",
        "social_insurance_number": "",
    }
    response = client_for(world.clerk).post(edit(staff, "identifiers"), form, follow=True)
    staff.refresh_from_db()
    assert staff.personal_id == "037185999999"
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert any("giới tính nữ" in w for w in warnings), warnings


def test_two_clerks_editing_at_once_the_second_save_is_refused(world, client_for):
    staff = world.staff_in_a1
    first, second = client_for(world.clerk), Client()
    second.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    base = {
        "version": staff.version,
        "permanent_residence": "",
        "current_residence": "",
        "phone": "",
    }
    assert first.post(edit(staff, "residence"), {**base, "phone": "0911111111"}).status_code == 302
    response = second.post(edit(staff, "residence"), {**base, "phone": "0922222222"})
    assert response.status_code == 200
    assert "Người khác đã lưu hồ sơ này" in text(response)
    staff.refresh_from_db()
    assert staff.phone == "0911111111"


def test_table_rows_are_added_changed_and_removed_inline(world, client_for):
    staff = world.staff_in_a1
    old = Training.objects.create(staff=staff, school="Trường cũ", start=PartialDate(2000, 9))
    prefix = "rows"
    data = {
        "version": staff.version,
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": old.pk,
        f"{prefix}-0-staff": staff.pk,
        f"{prefix}-0-school": "Trường cũ",
        f"{prefix}-0-start": "09/2000",
        f"{prefix}-0-DELETE": "on",
        f"{prefix}-1-staff": staff.pk,
        f"{prefix}-1-school": "Học viện Hành chính Quốc gia",
        f"{prefix}-1-field": "Quản lý công",
        f"{prefix}-1-start": "09/2015",
        f"{prefix}-1-end": "06/2017",
        f"{prefix}-1-mode": "in_service",
        f"{prefix}-1-degree": "Thạc sĩ",
    }
    response = client_for(world.clerk).post(edit(staff, "training"), data)
    assert response.status_code == 302
    rows = list(Training.objects.filter(staff=staff).values_list("school", "degree"))
    assert rows == [("Học viện Hành chính Quốc gia", "Thạc sĩ")]
    staff.refresh_from_db()
    assert staff.version == 2


def test_table_rows_with_bad_ranges_are_refused(world, client_for):
    staff = world.staff_in_a1
    level = RatingLevel.objects.get(code="HTTNV")
    AnnualRating.objects.create(staff=staff, year=2024, level=level)
    data = {
        "version": staff.version,
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-staff": staff.pk,
        "rows-0-year": "2025",
        "rows-0-level": level.pk,
        "rows-1-staff": staff.pk,
        "rows-1-year": "2025",
        "rows-1-level": level.pk,
    }
    response = client_for(world.clerk).post(edit(staff, "ratings"), data)
    assert response.status_code == 200
    assert "Năm này đã có kết quả xếp loại" in text(response)
    assert AnnualRating.objects.filter(staff=staff).count() == 1

    training = {
        "version": staff.version,
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-staff": staff.pk,
        "rows-0-school": "Trường X",
        "rows-0-start": "09/2010",
        "rows-0-end": "06/2009",
    }
    response = client_for(world.clerk).post(edit(staff, "training"), training)
    assert "Thời điểm kết thúc trước thời điểm bắt đầu" in text(response)
    assert not Training.objects.filter(staff=staff).exists()


def test_head_cannot_edit(world, client_for):
    assert client_for(world.head).get(edit(world.staff_in_a1, "residence")).status_code == 403


def test_photo_upload_checks_the_file(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    url = reverse("personnel:staff_photo_edit", args=[staff.pk])
    bad = client.post(
        url,
        {"version": staff.version, "photo": SimpleUploadedFile("a.png", b"not an image")},
        follow=True,
    )
    assert any("Ảnh:" in str(m) for m in bad.context["messages"])
    staff.refresh_from_db()
    assert not staff.photo
    good = client.post(
        url, {"version": staff.version, "photo": SimpleUploadedFile("a.png", PNG, "image/png")}
    )
    assert good.status_code == 302
    staff.refresh_from_db()
    assert staff.photo
    photo = client.get(reverse("personnel:staff_photo", args=[staff.pk]))
    content = b"".join(photo.streaming_content)
    assert photo["Content-Type"] == "image/jpeg" and content.startswith(b"\xff\xd8")  # re-encoded


# --- New records and movements ---------------------------------------------------------------


def new_record(unit, **changes) -> dict:
    data = {
        "unit": unit.pk,
        "staff_number": "N0100",
        "full_name": "Hoàng Thị Mai",
        "birth_date": "12/08/1992",
        "sex": "female",
        "category": "public_employee",
        "personal_id": "037192555555",
        "recruitment_date": "01/09/2016",
        "position_title": "Giáo viên",
    }
    data.update(changes)
    return data


def test_clerk_creates_a_record_in_their_units_only(world, client_for):
    client = client_for(world.clerk)
    response = client.post(reverse("personnel:staff_create"), new_record(world.unit_a1))
    created = Staff.objects.get(staff_number="N0100")
    assert response.status_code == 302 and response.url == detail(created)
    refused = client.post(
        reverse("personnel:staff_create"),
        new_record(world.unit_b1, staff_number="N0101", personal_id="037192555556"),
    )
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors
    assert not Staff.objects.filter(staff_number="N0101").exists()


def test_a_new_record_of_someone_already_in_another_unit_is_refused(world, client_for):
    response = client_for(world.clerk).post(
        reverse("personnel:staff_create"),
        new_record(world.unit_a1, personal_id=world.staff_in_b.personal_id),
    )
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["personal_id"])
    assert "đơn vị khác" in error and "Phạm Văn Dũng" not in error
    assert not Staff.objects.filter(staff_number="N0100").exists()


def test_transfer_out_of_scope_takes_the_record_away_from_the_old_clerk(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    response = client.post(
        reverse("personnel:staff_movement", args=[staff.pk, "transfer"]),
        {
            "version": staff.version,
            "to_unit": world.unit_b1.pk,
            "effective_date": "01/09/2026",
            "decision": "QĐ 15/QĐ-SNV",
            "position": "",
            "note": "",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("personnel:staff_list")
    assert "ngoài phạm vi" in text(response)
    assert client.get(detail(staff)).status_code == 404
    outsider = Client()
    outsider.force_login(world.outsider, backend="django.contrib.auth.backends.ModelBackend")
    assert outsider.get(detail(staff)).status_code == 200


def test_a_movement_that_does_not_fit_the_status_gets_a_message(world, client_for):
    staff = world.staff_in_a1
    response = client_for(world.clerk).post(
        reverse("personnel:staff_movement", args=[staff.pk, "return"]),
        {"version": staff.version, "effective_date": "01/09/2026", "decision": "", "note": ""},
    )
    assert response.status_code == 200
    assert "Không thể ghi nhận thay đổi này" in text(response)


# --- History ---------------------------------------------------------------------------------


def test_history_lists_field_changes_and_table_rows_with_who_and_when(world, filled, client_for):
    clerk = client_for(world.clerk)
    staff = Staff.objects.get(pk=filled.pk)
    clerk.post(
        edit(staff, "residence"),
        {
            "version": staff.version,
            "permanent_residence": "",
            "current_residence": "Số 1 Tràng Tiền",
            "phone": "",
        },
    )
    page = text(clerk.get(reverse("personnel:staff_history", args=[staff.pk])))
    assert "Nơi ở hiện nay" in page and "Số 1 Tràng Tiền" in page and "clerk_a" in page
    assert "Trường Đại học Vinh" in page  # the training row added by the fixture
    assert AccessLogEntry.objects.filter(action="history", staff=staff).exists()


def test_history_masks_sensitive_changes_for_the_head(world, filled, client_for):
    page = text(client_for(world.head).get(reverse("personnel:staff_history", args=[filled.pk])))
    assert "Tiểu đường" not in page and "Mường" not in page and "Đi muộn" not in page
    assert "••••••" in page


# --- List, search, export --------------------------------------------------------------------


@pytest.fixture
def crowd(world):
    rank = Rank.objects.get(code="V.07.05.15")
    StaffFactory(
        unit=world.unit_a1,
        full_name="Nguyễn Văn An",
        birth_date="1990-01-01",
        rank=rank,
        personal_id="037090123456",
        staff_number="GV0001",
    )
    StaffFactory(unit=world.unit_a1, full_name="Nguyễn Văn Anh", birth_date="1960-06-01")
    StaffFactory(unit=world.unit_a1, full_name="Đặng Thị Ấn", birth_date="2000-03-03")
    StaffFactory(unit=world.unit_b1, full_name="Nguyễn Văn An", birth_date="1991-01-01")  # outside


def names(response):
    return [person.full_name for person in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]),
        ("NGUYỄN VĂN AN", ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]),
        ("dang thi an", ["Đặng Thị Ấn"]),
        ("an nguyen", ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]),
        ("037090123456", ["Nguyễn Văn An"]),
        ("GV0001", ["Nguyễn Văn An"]),
        ("xyz", []),
    ],
)
def test_search_is_accent_insensitive_and_scoped(world, crowd, client_for, query, expected):
    response = client_for(world.clerk).get(reverse("personnel:staff_list"), {"q": query})
    assert names(response) == expected


def test_whole_phrase_matches_come_first(world, crowd, client_for):
    StaffFactory(unit=world.unit_a1, full_name="An Văn Nguyễn")
    response = client_for(world.clerk).get(reverse("personnel:staff_list"), {"q": "nguyen van an"})
    assert names(response)[-1] == "An Văn Nguyễn"


def test_filters_by_rank_and_age(world, crowd, client_for):
    client = client_for(world.clerk)
    rank = Rank.objects.get(code="V.07.05.15")
    assert names(client.get(reverse("personnel:staff_list"), {"rank": rank.pk})) == [
        "Nguyễn Văn An"
    ]
    sixty = names(client.get(reverse("personnel:staff_list"), {"age": "60plus"}))
    assert sixty == ["Nguyễn Văn Anh"]
    young = names(client.get(reverse("personnel:staff_list"), {"age": "under30"}))
    assert young == ["Đặng Thị Ấn"]


def test_export_is_the_filtered_list_with_minimum_data_and_is_logged(world, crowd, client_for):
    Staff.objects.filter(full_name="Đặng Thị Ấn").update(full_name='=HYPERLINK("x")')
    response = client_for(world.head).get(reverse("personnel:staff_list_export"), {"q": "nguyen"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="danh-sach-can-bo_so-a_'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    rows = rows[[row[0] for row in rows].index("STT") :]  # under the title block
    assert rows[0][:4] == ("STT", "Số hiệu cán bộ", "Họ và tên", "Ngày sinh")
    assert [row[2] for row in rows[1:]] == ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert "Số định danh cá nhân" not in rows[0] and "Dân tộc" not in rows[0]
    entry = AccessLogEntry.objects.get(action="export_list")
    assert (
        entry.user == world.head
        and entry.detail["rows"] == 3
        and entry.detail["filters"]["q"] == "nguyen"
    )

    everything = client_for(world.clerk).get(reverse("personnel:staff_list_export"))
    sheet = load_workbook(io.BytesIO(everything.content)).active
    injected = [row for row in sheet.iter_rows() if row[2].value == '=HYPERLINK("x")']
    assert injected and injected[0][2].data_type == "s"


def test_staff_members_cannot_export(world, client_for):
    assert (
        client_for(world.staff_user).get(reverse("personnel:staff_list_export")).status_code == 404
    )
