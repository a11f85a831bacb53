"""The printed dossier: every section, Vietnamese text that survives extraction, escaping,
long tables, withheld sensitive items, and who may download it."""

import datetime
import re
import shutil
import subprocess
import unicodedata

import pytest
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse

from hrms.lib.partial_dates import PartialDate
from personnel import selectors
from personnel.exporters.dossier_pdf import WITHHELD_NOTICE, DossierPDF
from personnel.models import (
    AccessLogEntry,
    Award,
    Discipline,
    DisciplineType,
    EthnicGroup,
    FamilyMember,
    Religion,
    Staff,
    Training,
    WorkHistory,
)
from personnel.presentation import dossier_queryset
from tests.conftest import approved_record
from tests.factories import png_bytes

EXTRACTED_AT = datetime.datetime(2026, 11, 21, 9, 30)


@pytest.fixture(scope="module")
def poppler():
    for tool in ("pdftotext", "pdfimages"):
        if shutil.which(tool) is None:
            pytest.fail(
                "poppler-utils is needed for PDF checks (apt-get install poppler-utils).",
                pytrace=False,
            )


def pdf_text(content: bytes, tmp_path, *, first=None, last=None) -> str:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(content)
    args = ["pdftotext"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(content: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def render(staff, *, show_sensitive=True) -> bytes:
    staff = dossier_queryset().get(pk=staff.pk)
    return DossierPDF(
        selectors.dossier_data(staff=staff),
        show_sensitive=show_sensitive,
        extracted_by="Lê Thị Minh Phương (clerk_a)",
        extracted_at=EXTRACTED_AT,
    ).render()


@pytest.fixture
def full_record(world, settings, tmp_path):
    """A record with every item filled in."""
    settings.MEDIA_ROOT = tmp_path / "media"
    s = world.staff_in_a1
    values = dict(  # noqa: C408 - keyword form reads like the record
        full_name="Trần Thị Bình",
        other_names="Bình Trần",
        birth_date=PartialDate(1985, 5, 17),
        sex="female",
        birth_commune="Xã Yên Phong",
        birth_district="Huyện Yên Mô",
        birth_province="Tỉnh Ninh Bình",
        home_commune="Xã Khánh Hòa",
        home_district="Huyện Yên Khánh",
        home_province="Tỉnh Ninh Bình",
        ethnicity=EthnicGroup.objects.get(code="06"),
        religion=Religion.objects.get(code="01"),
        permanent_residence="Thôn Đông, xã Yên Phong",
        current_residence="Số 12 Lê Lợi, Hòa An",
        phone="0912345678",
        occupation_when_recruited="Giáo viên hợp đồng",
        recruitment_date=datetime.date(2008, 9, 1),
        recruiting_agency="Sở Giáo dục và Đào tạo",
        position_title="Tổ trưởng chuyên môn",
        concurrent_positions="Bí thư chi đoàn",
        main_duties="Giảng dạy Ngữ văn",
        general_education="12/12",
        qualification="master",
        qualification_field="Văn học Việt Nam",
        political_theory="intermediate",
        state_management="officer",
        foreign_languages="Tiếng Anh B2",
        it_skills="Ứng dụng CNTT cơ bản",
        party_admission_date=PartialDate(2012, 3, 26),
        party_official_date=PartialDate(2013, 3, 26),
        organisations="Công đoàn Việt Nam",
        military_enlisted=PartialDate(2003, 2),
        military_discharged=PartialDate(2005, 2),
        military_rank="Trung sĩ",
        honorary_title="Nhà giáo ưu tú",
        strengths="Bồi dưỡng học sinh giỏi",
        health_status="Tiểu đường",
        height_cm=158,
        weight_kg=52,
        blood_type="O",
        war_invalid_grade="4/4",
        policy_family="Con liệt sĩ",
        personal_id="037185001234",
        personal_id_issued_on=datetime.date(2021, 4, 1),
        personal_id_issued_by="Cục Cảnh sát QLHC về TTXH",
        old_id_number="164123456",
        tax_code="0100109106",
        social_insurance_number="3712345678",
        history_detention="Không",
        history_foreign_orgs="Không",
        history_relatives_abroad="Em trai ở Nhật Bản",
        assessment="Hoàn thành tốt nhiệm vụ, có tinh thần trách nhiệm.",
        category="public_employee",
    )
    for name, value in values.items():
        setattr(s, name, value)
    s.photo.save("anh.png", ContentFile(png_bytes()), save=False)
    s.save()
    Training.objects.create(
        staff=s,
        school="Trường Đại học Sư phạm Hà Nội",
        field="Ngữ văn",
        start=PartialDate(2004, 9),
        end=PartialDate(2008, 6),
        mode="full_time",
        degree="Cử nhân",
    )
    WorkHistory.objects.create(
        staff=s, start=PartialDate(2008, 9), position="Giáo viên", unit_name="Trường A1"
    )
    FamilyMember.objects.create(
        staff=s,
        relation="father",
        full_name="Trần Văn Cường",
        birth_year=1955,
        details="Nông dân, Ninh Bình",
    )
    FamilyMember.objects.create(
        staff=s,
        side="spouse",
        relation="mother",
        full_name="Đỗ Thị Hạnh",
        birth_year=1958,
        details="Hưu trí",
    )
    Award.objects.create(staff=s, year=2024, form="Bằng khen của Chủ tịch UBND tỉnh")
    Discipline.objects.create(
        staff=s,
        date=datetime.date(2019, 5, 1),
        kind=DisciplineType.objects.get(code="VC-KT"),
        reason="Đi muộn",
    )
    approved_record(s, rank_code="V.07.05.14", step=3, effective=datetime.date(2023, 9, 1))
    return s


ITEMS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Mẫu HS02-VC/BNV",
    "SƠ YẾU LÝ LỊCH VIÊN CHỨC",
    "1) Họ và tên khai sinh (viết chữ in hoa): TRẦN THỊ BÌNH",
    "2) Tên gọi khác: Bình Trần",
    "3) Sinh ngày: 17/05/1985",
    "Nữ",
    "4) Nơi sinh: Xã Yên Phong, Huyện Yên Mô",
    "5) Quê quán: Xã Khánh Hòa",
    "6) Dân tộc: Mường",
    "7) Tôn giáo: Phật giáo",
    "8) Nơi đăng ký hộ khẩu thường trú: Thôn Đông",
    "9) Nơi ở hiện nay: Số 12 Lê Lợi",
    "10) Nghề nghiệp khi được tuyển dụng: Giáo viên hợp đồng",
    "11) Ngày tuyển dụng: 01/09/2008",
    "12) Chức vụ (chức danh) hiện tại: Tổ trưởng chuyên môn",
    "Bí thư chi đoàn",
    "13) Công việc chính được giao: Giảng dạy Ngữ văn",
    "14) Chức danh nghề nghiệp:",
    "V.07.05.14",
    "Hệ số: 4,68",
    "15.1) Trình độ giáo dục phổ thông: 12/12",
    "Thạc sĩ",
    "15.3) Lý luận chính trị: Trung cấp",
    "15.5) Ngoại ngữ: Tiếng Anh B2",
    "16) Ngày vào Đảng",
    "26/03/2012",
    "17) Ngày tham gia tổ chức chính trị - xã hội: Công đoàn Việt Nam",
    "18) Ngày nhập ngũ: 02/2003",
    "Trung sĩ",
    "19) Danh hiệu được phong tặng cao nhất: Nhà giáo ưu tú",
    "20) Sở trường công tác: Bồi dưỡng học sinh giỏi",
    "21) Khen thưởng: Bằng khen của Chủ tịch UBND tỉnh (2024)",
    "22) Kỷ luật: Khiển trách (2019)",
    "23) Tình trạng sức khỏe: Tiểu đường",
    "Nhóm máu: O",
    "24) Là thương binh hạng: 4/4",
    "Con liệt sĩ",
    "25) Số CCCD/định danh cá nhân: 037185001234",
    "164123456",
    "26) Số sổ BHXH: 3712345678",
    "0100109106",
    "27) ĐÀO TẠO, BỒI DƯỠNG",
    "Trường Đại học Sư phạm Hà Nội",
    "09/2004 – 06/2008",
    "28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC",
    "09/2008 – nay",
    "29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN",
    "Em trai ở Nhật Bản",
    "30) QUAN HỆ GIA ĐÌNH",
    "Trần Văn Cường",
    "b) Về bên vợ (hoặc chồng)",
    "Đỗ Thị Hạnh",
    "31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG",
    "09/2023",
    "V.07.05.14/3",
    "32) NHẬN XÉT, ĐÁNH GIÁ",
    "Hoàn thành tốt nhiệm vụ, có tinh thần trách nhiệm.",
    "Tôi xin cam đoan những lời khai trên đây là đúng sự thật",
    "Người khai",
    "Thủ trưởng cơ quan, đơn vị quản lý và sử dụng",
    "Trích xuất từ hệ thống hồ sơ cán bộ bởi Lê Thị Minh Phương (clerk_a)",
    "lúc 09:30 ngày 21/11/2026",
    "Trang 1/",
]


def test_every_section_of_the_form_is_printed_and_extractable(poppler, full_record, tmp_path):
    content = render(full_record)
    assert content.startswith(b"%PDF")
    extracted = " ".join(pdf_text(content, tmp_path).split())
    missing = [item for item in ITEMS if " ".join(item.split()) not in extracted]
    assert not missing, missing
    images = (
        subprocess.run(
            ["pdfimages", "-list", str(tmp_path / "dossier.pdf")],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    assert len(images) >= 3  # header lines plus the photo


def test_the_font_is_embedded(poppler, full_record, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(render(full_record))
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "IBMPlexSerif" in fonts and " yes " in fonts  # embedded subset


def test_markup_in_names_and_notes_prints_literally(poppler, world, tmp_path):
    staff = world.staff_in_a1
    staff.full_name = "Lê <b>Văn</b> & An"
    staff.assessment = "<script>alert(1)</script> & <font size=40>to</font>"
    staff.save()
    text = pdf_text(render(staff), tmp_path)
    assert "LÊ <B>VĂN</B> & AN" in text
    assert "<script>alert(1)</script> & <font size=40>to</font>" in text


def test_decomposed_unicode_is_normalised(poppler, world, tmp_path):
    staff = world.staff_in_a1
    staff.main_duties = unicodedata.normalize("NFD", "Giảng dạy Tiếng Việt")
    staff.save()
    text = unicodedata.normalize("NFC", pdf_text(render(staff), tmp_path))
    assert "Giảng dạy Tiếng Việt" in text


def test_long_tables_break_across_pages_with_their_header(poppler, world, tmp_path):
    staff = world.staff_in_a1
    Training.objects.bulk_create(
        Training(
            staff=staff,
            school=f"Trường bồi dưỡng số {n}",
            field="Quản lý giáo dục",
            start=PartialDate(2000 + n % 20, 1),
            degree="Chứng chỉ",
            row_order=n,
        )
        for n in range(90)
    )
    content = render(staff)
    pages = page_count(content, tmp_path)
    assert pages >= 3
    second = pdf_text(content, tmp_path, first=2)
    assert "Trường bồi dưỡng số" in second and "Tên trường" in second  # header repeated
    assert f"Trang 2/{pages}" in second


def test_long_text_wraps_inside_the_page(poppler, world, tmp_path):
    staff = world.staff_in_a1
    staff.assessment = " ".join(["Đồng chí có tinh thần trách nhiệm cao trong công tác"] * 60)
    staff.save()
    path = tmp_path / "wrap.pdf"
    path.write_bytes(render(staff))
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert max(right_edges) <= page_width - 30  # inside the right margin


def test_sensitive_items_print_as_withheld_for_those_who_may_not_see_them(
    poppler, full_record, tmp_path
):
    text = " ".join(pdf_text(render(full_record, show_sensitive=False), tmp_path).split())
    for secret in (
        "Mường",
        "Phật giáo",
        "26/03/2012",
        "Tiểu đường",
        "Con liệt sĩ",
        "Em trai ở Nhật Bản",
        "Khiển trách",
    ):
        assert secret not in text, secret
    # Said once, under the title, not at each of the items.
    assert text.count("thông tin nhạy cảm") == 1 and "không hiển thị" not in text
    notice = " ".join(WITHHELD_NOTICE.split())
    assert notice in text and text.index(notice) < text.index("1) Họ và tên khai sinh")
    assert "6) Dân tộc: (*)" in text and "7) Tôn giáo: (*)" in text
    assert "22) Kỷ luật: (*)" in text


def test_a_full_copy_has_no_notice(poppler, full_record, tmp_path):
    text = " ".join(pdf_text(render(full_record), tmp_path).split())
    assert "(*)" not in text and "nhạy cảm" not in text and "6) Dân tộc: Mường" in text


def test_the_download_is_logged_and_scoped(world, client_for):
    url = reverse("personnel:staff_dossier_pdf", args=[world.staff_in_a1.pk])
    response = client_for(world.head).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="so-yeu-ly-lich-' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLogEntry.objects.get(action="export_dossier")
    assert (entry.user, entry.staff, entry.detail["sensitive_shown"]) == (
        world.head,
        world.staff_in_a1,
        False,
    )
    assert client_for(world.outsider).get(url).status_code == 404


# --- Extreme lengths: every long text item and table cell -------------------------------------

# Free text has no length limit in the database; these are about 3 pages each in a table column.
HUGE = 12_000
# Staff text items the form does not print (identifiers checked elsewhere, derived columns).
NOT_TEXT = {"staff_number", "personal_id", "old_id_number", "tax_code", "social_insurance_number",
            "phone"}  # fmt: skip


def words(code: str, length: int) -> str:
    """``length`` characters of distinct numbered words (``qAB00001 qAB00002 …``), so that
    every word can be looked for in the extracted text."""
    result, number = [], 0
    while sum(len(word) + 1 for word in result) + 9 <= length + 1:
        number += 1
        result.append(f"q{code}{number:05d}")
    return " ".join(result)


def text_columns(model, exclude=()) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if type(field) in (models.CharField, models.TextField)  # not partial dates
        and not field.choices
        and not field.generated
        and field.name not in exclude
    ]


def fill_to_the_limit(model, code: str, exclude=()) -> dict:
    """Every free-text column of ``model`` at its length limit (HUGE for TextFields)."""
    return {
        field.name: words(f"{code}{index:02d}", field.max_length or HUGE)
        for index, field in enumerate(text_columns(model, exclude))
    }


def test_extreme_lengths_in_every_text_item_and_table_cell_print_in_full(
    poppler, full_record, tmp_path
):
    staff = full_record
    values = fill_to_the_limit(Staff, "s", exclude=NOT_TEXT)
    Staff.objects.filter(pk=staff.pk).update(**values)
    expected = {word for value in values.values() for word in value.split()}
    for model in (Training, WorkHistory, FamilyMember):
        model.objects.filter(staff=staff).delete()
    for model, code, extra in (
        (Training, "t", {"start": PartialDate(2001, 1)}),
        (WorkHistory, "w", {"start": PartialDate(2002, 1)}),
        (FamilyMember, "f", {"relation": "sibling"}),
        (FamilyMember, "g", {"relation": "sibling", "side": "spouse"}),
    ):
        for row in range(3):
            row_values = fill_to_the_limit(model, f"{code}{row}")
            model.objects.create(staff=staff, row_order=row, **extra, **row_values)
            expected |= {word for value in row_values.values() for word in value.split()}
    Award.objects.filter(staff=staff).update(form=words("a", 255))
    expected |= set(words("a", 255).split())

    content = render(staff)

    printed = set(re.findall(r"q[a-z0-9]+\d{5}", pdf_text(content, tmp_path)))
    missing = expected - printed
    assert not missing, f"{len(missing)} words missing, e.g. {sorted(missing)[:5]}"
    assert page_count(content, tmp_path) > 10


def test_a_family_row_with_a_very_long_description_splits_across_pages(poppler, world, tmp_path):
    staff = world.staff_in_a1
    details = words("d", 3_500)
    FamilyMember.objects.create(staff=staff, relation="father", full_name="Bố", details=details)
    content = render(staff)
    printed = re.findall(r"qd\d{5}", pdf_text(content, tmp_path))
    assert printed == details.split()  # all of it, in order


# --- Issue 15: no page of signatures alone, decimal commas, one notice for withheld items -----


def test_the_signatures_never_end_up_alone_on_the_last_page(poppler, full_record, tmp_path):
    """Work history one row longer each time moves item 32 down the page through every
    position, the bottom of the page included: the last page always holds item 32's text
    with the signatures (it used to hold the signatures alone in half of a school's
    dossiers)."""
    staff = dossier_queryset().get(pk=full_record.pk)
    data = selectors.dossier_data(staff=staff)
    history = data.work_history[0]
    endings = set()
    for extra in range(0, 48):
        data.work_history = [history] * (1 + extra)
        content = DossierPDF(
            data, show_sensitive=True, extracted_by="clerk", extracted_at=EXTRACTED_AT
        ).render()
        pages = page_count(content, tmp_path)
        last = " ".join(pdf_text(content, tmp_path, first=pages).split())
        assert "Thủ trưởng cơ quan, đơn vị quản lý và sử dụng" in last, extra
        assert "Hoàn thành tốt nhiệm vụ, có tinh thần trách nhiệm." in last, extra
        assert "32) NHẬN XÉT, ĐÁNH GIÁ" in last, extra
        endings.add(last.startswith("32)") or "31) DIỄN BIẾN" not in last)
    assert True in endings  # some fill levels really did push item 32 to a new page


def test_a_long_assessment_still_ends_with_the_signatures(poppler, world, tmp_path):
    staff = world.staff_in_a1
    staff.assessment = "\n".join(f"Năm {2000 + n}: hoàn thành tốt nhiệm vụ." for n in range(90))
    staff.save()
    content = render(staff)
    pages = page_count(content, tmp_path)
    last = " ".join(pdf_text(content, tmp_path, first=pages).split())
    assert "Năm 2089: hoàn thành tốt nhiệm vụ." in last and "Người khai" in last
    first_of_32 = next(
        page
        for page in range(1, pages + 1)
        if "32) NHẬN XÉT" in pdf_text(content, tmp_path, first=page)
    )
    assert "Năm 2000:" in pdf_text(content, tmp_path, first=first_of_32)  # heading with its text


def test_coefficients_print_with_a_decimal_comma(poppler, world, tmp_path):
    approved_record(
        world.staff_in_a1, rank_code="V.07.05.15", step=9, effective=datetime.date(2022, 12, 1)
    )
    text = " ".join(pdf_text(render(world.staff_in_a1), tmp_path).split())
    assert "Hệ số: 4,98" in text  # item 14
    assert "V.07.05.15/9" in text and text.count("4,98") == 2  # item 14 and item 31's table
    assert "4.98" not in text


def test_a_clerk_prints_a_full_copy_on_purpose_and_it_is_logged_as_a_reveal(
    poppler, full_record, client_for, world, tmp_path
):
    clerk = client_for(world.clerk)
    page = clerk.get(reverse("personnel:staff_detail", args=[full_record.pk])).content.decode()
    full_url = reverse("personnel:staff_dossier_full_pdf", args=[full_record.pk])
    assert f'action="{full_url}"' in page  # the "full copy" button

    plain = clerk.get(reverse("personnel:staff_dossier_pdf", args=[full_record.pk]))
    text = " ".join(pdf_text(b"".join(plain.streaming_content), tmp_path).split())
    assert "Mường" not in text and " ".join(WITHHELD_NOTICE.split()) in text
    assert not AccessLogEntry.objects.filter(action="reveal").exists()

    full = clerk.post(full_url)
    assert full.status_code == 200
    assert 'filename="so-yeu-ly-lich-day-du-' in full["Content-Disposition"]
    text = " ".join(pdf_text(b"".join(full.streaming_content), tmp_path).split())
    assert "6) Dân tộc: Mường" in text and "Em trai ở Nhật Bản" in text and "(*)" not in text
    reveal = AccessLogEntry.objects.get(action="reveal")
    assert (reveal.user, reveal.staff, reveal.detail["copy"]) == (world.clerk, full_record, "pdf")
    assert "ethnicity" in reveal.detail["items"]
    exports = AccessLogEntry.objects.filter(action="export_dossier").order_by("at", "pk")
    assert [entry.detail["sensitive_shown"] for entry in exports] == [False, True]


def test_the_head_gets_no_full_copy_button_and_no_full_copy(world, client_for):
    head = client_for(world.head)
    page = head.get(reverse("personnel:staff_detail", args=[world.staff_in_a1.pk])).content
    full_url = reverse("personnel:staff_dossier_full_pdf", args=[world.staff_in_a1.pk])
    assert full_url.encode() not in page
    assert head.post(full_url).status_code == 403
    assert not AccessLogEntry.objects.filter(action__in=["reveal", "export_dossier"]).exists()


def test_ones_own_dossier_prints_in_full(poppler, world, client_for, tmp_path):
    own = world.own_record
    own.ethnicity = EthnicGroup.objects.get(code="06")
    own.save()
    response = client_for(world.staff_user).get(
        reverse("personnel:staff_dossier_pdf", args=[own.pk])
    )
    text = " ".join(pdf_text(b"".join(response.streaming_content), tmp_path).split())
    assert "6) Dân tộc: Mường" in text and "(*)" not in text
