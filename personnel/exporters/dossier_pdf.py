"""The personnel dossier (Sơ yếu lý lịch) as a PDF laid out like Mẫu 2C-BNV/2008 (for public
employees, HS02-VC/BNV; Thông tư 11/2012/TT-BNV and Thông tư 07/2019/TT-BNV).

The document is a Vietnamese legal form, so its wording stays Vietnamese whatever the user's
interface language. Sensitive items (Luật 91/2025/QH15) are printed only in a full copy, which
someone entitled to see them asks for explicitly; otherwise a notice under the title says once
which items are withheld, and each of them shows only a mark. Coefficients print with the
decimal comma (4,98). Item 32 and the signature block stay on one page: a dossier never ends
with a page holding only the signatures.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from hrms.lib.numbers import format_coefficient
from hrms.lib.pdf import BOLD, NumberedCanvas, paragraph, register_fonts, styles, text
from hrms.lib.printable import printable
from personnel.models import FamilyMember, Staff
from personnel.presentation import display

WITHHELD = "(*)"  # where a withheld item would be; the notice under the title explains it
WITHHELD_NOTICE = (
    "(*) Bản in rút gọn: các thông tin nhạy cảm (mục 6, 7, 16, 22, 23, 24, 29) không được in. "
    "Người có thẩm quyền in bản đầy đủ từ hệ thống; mỗi lần in được ghi nhật ký."
)
EMPTY = "…"
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#efefef")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


@dataclass
class DossierData:
    """Everything the document prints, read beforehand (see ``personnel.selectors``)."""

    staff: Staff
    managing_agency: str
    employing_agency: str
    trainings: list
    work_history: list
    family: list
    salary_history: list
    awards: list
    disciplines: list


class DossierPDF:
    """``DossierPDF(data, show_sensitive=…, extracted_by=…, extracted_at=…).render()`` → bytes."""

    pagesize = A4
    margins = (20 * mm, 15 * mm, 18 * mm, 15 * mm)  # left, right, top, bottom

    def __init__(
        self,
        data: DossierData,
        *,
        show_sensitive: bool,
        extracted_by: str,
        extracted_at: datetime.datetime,
    ):
        self.data = data
        self.staff = data.staff
        self.show_sensitive = show_sensitive
        self.extracted_by = extracted_by
        self.extracted_at = extracted_at
        self.public_employee = self.staff.category in (
            Staff.Category.PUBLIC_EMPLOYEE,
            Staff.Category.CONTRACT,
        )

    # --- document -------------------------------------------------------------------------

    def render(self) -> bytes:
        register_fonts()
        buffer = io.BytesIO()
        left, right, top, bottom = self.margins
        width, height = self.pagesize
        document = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=printable(f"Sơ yếu lý lịch - {self.staff.full_name}"),
            author="hrms",
            subject=self.form_code,
        )
        frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body")
        document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        footer = (
            f"Trích xuất từ hệ thống hồ sơ cán bộ bởi {self.extracted_by} "
            f"lúc {self.extracted_at:%H:%M ngày %d/%m/%Y}"
        )
        canvas_class = type("DossierCanvas", (NumberedCanvas,), {"footer_text": footer})
        document.build(self.story(document.width), canvasmaker=canvas_class)
        return buffer.getvalue()

    @property
    def form_code(self) -> str:
        return "Mẫu HS02-VC/BNV" if self.public_employee else "Mẫu 2C-BNV/2008"

    def story(self, width: float) -> list:
        parts = [*self.heading(width), *self.items(width)]
        parts += self.tables(width)
        # The signature block moves to the next page with item 32 (its heading and at least
        # the assessment's last paragraph) rather than alone: 77 of a school's 155 dossiers
        # used to end on a page holding only the signatures.
        assessment = self.assessment()
        head, last = assessment[:-1], assessment[-1]
        if len(head) > 1:  # a long assessment flows; its heading stays with its first line
            parts += head
            head = []
        parts.append(KeepTogether([*head, last, *self.closing(width)]))
        return parts

    # --- pieces ---------------------------------------------------------------------------

    def heading(self, width: float) -> list:
        staff = self.staff
        left = [
            paragraph(
                None,
                "small",
                markup=f"Cơ quan, đơn vị có thẩm quyền quản lý: <b>{text(self.data.managing_agency)}</b>",
            ),
            paragraph(
                None,
                "small",
                markup=f"Cơ quan, đơn vị sử dụng: <b>{text(self.data.employing_agency)}</b>",
            ),
            paragraph(
                None,
                "small",
                markup=f"Số hiệu cán bộ, công chức, viên chức: <b>{text(staff.staff_number)}</b>",
            ),
        ]
        right = [paragraph(self.form_code, "center_italic")]
        top = Table([[left, right]], colWidths=[width * 0.68, width * 0.32], splitInRow=1)
        top.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        title = (
            "SƠ YẾU LÝ LỊCH VIÊN CHỨC"
            if self.public_employee
            else "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC"
        )
        return [
            paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "heading"),
            paragraph("Độc lập - Tự do - Hạnh phúc", "motto"),
            Spacer(1, 6),
            top,
            paragraph(title, "title"),
            *([] if self.show_sensitive else [paragraph(WITHHELD_NOTICE, "small"), Spacer(1, 4)]),
        ]

    def _value(self, name: str, *, sensitive: bool = False) -> str:
        if sensitive and not self.show_sensitive:
            return WITHHELD
        result = display(self.staff, name)
        return EMPTY if result == "—" else result

    def _line(self, number: str, label: str, value: str, *, extra: str = "") -> object:
        markup = f"{number}) {text(label)}: <b>{text(value)}</b>{extra}"
        return paragraph(None, markup=markup)

    def items(self, width: float) -> list:
        staff = self.staff
        v = self._value
        birth = str(staff.birth_date) if staff.birth_date else EMPTY
        first_block = [
            self._line("1", "Họ và tên khai sinh (viết chữ in hoa)", staff.full_name.upper()),
            self._line("2", "Tên gọi khác", v("other_names")),
            self._line(
                "3", "Sinh ngày", birth, extra=f", Giới tính (nam, nữ): <b>{text(v('sex'))}</b>"
            ),
            self._line(
                "4",
                "Nơi sinh",
                _place(staff.birth_commune, staff.birth_district, staff.birth_province),
            ),
            self._line(
                "5",
                "Quê quán",
                _place(staff.home_commune, staff.home_district, staff.home_province),
            ),
            self._line(
                "6",
                "Dân tộc",
                v("ethnicity", sensitive=True),
                extra=f", 7) Tôn giáo: <b>{text(v('religion', sensitive=True))}</b>",
            ),
        ]
        photo = self._photo()
        head = Table([[photo, first_block]], colWidths=[34 * mm, width - 34 * mm], splitInRow=1)
        head.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        rank = staff.rank
        current = self.data.salary_history[-1] if self.data.salary_history else None
        lines = [
            self._line("8", "Nơi đăng ký hộ khẩu thường trú", v("permanent_residence")),
            self._line(
                "9",
                "Nơi ở hiện nay",
                v("current_residence"),
                extra=f"; điện thoại: <b>{text(v('phone'))}</b>",
            ),
            self._line("10", "Nghề nghiệp khi được tuyển dụng", v("occupation_when_recruited")),
            self._line(
                "11",
                "Ngày tuyển dụng",
                v("recruitment_date"),
                extra=f", Cơ quan tuyển dụng: <b>{text(v('recruiting_agency'))}</b>",
            ),
            self._line(
                "12",
                "Chức vụ (chức danh) hiện tại",
                v("position_title"),
                extra=f"; chức vụ kiêm nhiệm: <b>{text(v('concurrent_positions'))}</b>",
            ),
            self._line("13", "Công việc chính được giao", v("main_duties")),
            self._line(
                "14",
                "Ngạch công chức (chức danh nghề nghiệp)"
                if not self.public_employee
                else "Chức danh nghề nghiệp",
                f"{rank.name} (mã {rank.code})" if rank else EMPTY,
                extra=(
                    f", Bậc lương: <b>{current.step}</b>, "
                    f"Hệ số: <b>{format_coefficient(current.coefficient)}</b>, "
                    f"Ngày hưởng: <b>{current.effective_date:%d/%m/%Y}</b>"
                    + (
                        ", Phụ cấp chức vụ: "
                        f"<b>{format_coefficient(current.leadership_coefficient)}</b>"
                        if current.leadership_coefficient
                        else ""
                    )
                    + (
                        f", Phụ cấp thâm niên vượt khung: <b>{current.beyond_scale_percent:.0f}%</b>"
                        if current.beyond_scale_percent
                        else ""
                    )
                    if current
                    else ""
                ),
            ),
            self._line("15.1", "Trình độ giáo dục phổ thông", v("general_education")),
            self._line(
                "15.2",
                "Trình độ chuyên môn cao nhất",
                v("qualification"),
                extra=f", chuyên ngành: <b>{text(v('qualification_field'))}</b>",
            ),
            self._line(
                "15.3",
                "Lý luận chính trị",
                v("political_theory"),
                extra=f"; 15.4) Quản lý nhà nước: <b>{text(v('state_management'))}</b>",
            ),
            self._line(
                "15.5",
                "Ngoại ngữ",
                v("foreign_languages"),
                extra=f"; 15.6) Tin học: <b>{text(v('it_skills'))}</b>",
            ),
            self._line(
                "16",
                "Ngày vào Đảng Cộng sản Việt Nam",
                v("party_admission_date", sensitive=True),
                extra=f", Ngày chính thức: <b>{text(v('party_official_date', sensitive=True))}</b>",
            ),
            self._line("17", "Ngày tham gia tổ chức chính trị - xã hội", v("organisations")),
            self._line(
                "18",
                "Ngày nhập ngũ",
                v("military_enlisted"),
                extra=f", Ngày xuất ngũ: <b>{text(v('military_discharged'))}</b>, "
                f"Quân hàm cao nhất: <b>{text(v('military_rank'))}</b>",
            ),
            self._line("19", "Danh hiệu được phong tặng cao nhất", v("honorary_title")),
            self._line("20", "Sở trường công tác", v("strengths")),
            self._line("21", "Khen thưởng", self._highest_award()),
            self._line("22", "Kỷ luật", self._highest_discipline()),
            self._line(
                "23",
                "Tình trạng sức khỏe",
                v("health_status", sensitive=True),
                extra=(
                    f", Chiều cao: <b>{text(v('height_cm', sensitive=True))}</b> cm, "
                    f"Cân nặng: <b>{text(v('weight_kg', sensitive=True))}</b> kg, "
                    f"Nhóm máu: <b>{text(v('blood_type', sensitive=True))}</b>"
                ),
            ),
            self._line(
                "24",
                "Là thương binh hạng",
                v("war_invalid_grade", sensitive=True),
                extra=f", Là con gia đình chính sách: <b>{text(v('policy_family', sensitive=True))}</b>",
            ),
            self._line(
                "25",
                "Số CCCD/định danh cá nhân",
                v("personal_id"),
                extra=(
                    f", Ngày cấp: <b>{text(v('personal_id_issued_on'))}</b>, "
                    f"Nơi cấp: <b>{text(v('personal_id_issued_by'))}</b>; số CMND cũ: <b>{text(v('old_id_number'))}</b>"
                ),
            ),
            self._line(
                "26",
                "Số sổ BHXH",
                v("social_insurance_number"),
                extra=f"; Mã số thuế: <b>{text(v('tax_code'))}</b>",
            ),
        ]
        return [head, Spacer(1, 4), *lines]

    def _photo(self):
        box = 30 * mm, 40 * mm
        if self.staff.photo:
            try:
                with self.staff.photo.open("rb") as handle:
                    content = io.BytesIO(handle.read())
                image = Image(content, width=box[0], height=box[1], kind="proportional")
                frame = Table([[image]], colWidths=[box[0]], rowHeights=[box[1]])
            except (OSError, ValueError):
                frame = None
            else:
                frame.setStyle(
                    TableStyle(
                        [
                            ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
                            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ]
                    )
                )
                return frame
        placeholder = Table(
            [[paragraph("Ảnh màu\n(4 × 6 cm)", "center")]], colWidths=[box[0]], rowHeights=[box[1]]
        )
        placeholder.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return placeholder

    def _highest_award(self) -> str:
        if not self.data.awards:
            return EMPTY
        award = self.data.awards[0]  # newest first
        return f"{award.form} ({award.year})"

    def _highest_discipline(self) -> str:
        if not self.show_sensitive:
            return WITHHELD
        if not self.data.disciplines:
            return EMPTY
        latest = self.data.disciplines[0]
        return f"{latest.kind.name} ({latest.date:%Y})"

    def _table(self, header: list[str], rows: list[list], widths: list[float]) -> Table:
        data = [[paragraph(title, "cell_bold") for title in header]]
        data += [[paragraph(cell, "cell") for cell in row] for row in rows] or [
            [paragraph(EMPTY, "cell") for _ in header]
        ]
        # splitInRow: a row taller than what is left of the page (a family member described in
        # 3,500 characters) continues on the next page instead of failing the whole document.
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(GRID)
        return table

    def tables(self, width: float) -> list:
        data = self.data
        parts = [
            paragraph(
                "27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC",
                "section",
            )
        ]
        parts.append(
            self._table(
                [
                    "Tên trường",
                    "Chuyên ngành đào tạo, bồi dưỡng",
                    "Từ tháng, năm - đến tháng, năm",
                    "Hình thức đào tạo",
                    "Văn bằng, chứng chỉ, trình độ gì",
                ],
                [
                    [
                        row.school,
                        row.field,
                        _period(row.start, row.end),
                        display(row, "mode"),
                        row.degree,
                    ]
                    for row in data.trainings
                ],
                [width * 0.26, width * 0.24, width * 0.17, width * 0.15, width * 0.18],
            )
        )
        parts.append(paragraph("28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC", "section"))
        parts.append(
            self._table(
                ["Từ tháng, năm đến tháng, năm", "Chức danh, chức vụ, đơn vị công tác"],
                [
                    [
                        _period(row.start, row.end, open_end="nay"),
                        f"{row.position}, {row.unit_name}".strip(", "),
                    ]
                    for row in data.work_history
                ],
                [width * 0.25, width * 0.75],
            )
        )
        parts.append(paragraph("29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN", "section"))
        if self.show_sensitive:
            for label, name in (
                (
                    "Khai rõ: bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu), đã khai báo cho ai, những vấn đề gì",
                    "history_detention",
                ),
                (
                    "Bản thân có làm việc trong chế độ cũ (cơ quan, đơn vị nào, địa điểm, chức danh, chức vụ, thời gian làm việc...); tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã hội nào ở nước ngoài",
                    "history_foreign_orgs",
                ),
                (
                    "Có thân nhân (bố, mẹ, vợ, chồng, con, anh chị em ruột) ở nước ngoài (làm gì, địa chỉ)",
                    "history_relatives_abroad",
                ),
            ):
                parts.append(
                    paragraph(None, markup=f"- {text(label)}: <b>{text(self._value(name))}</b>")
                )
        else:
            parts.append(paragraph(WITHHELD))
        family_widths = [width * 0.13, width * 0.22, width * 0.09, width * 0.56]
        header = [
            "Mối quan hệ",
            "Họ và tên",
            "Năm sinh",
            "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở "
            "(trong, ngoài nước); thành viên các tổ chức chính trị - xã hội...",
        ]
        for side, title in (
            (
                FamilyMember.Side.OWN,
                "30) QUAN HỆ GIA ĐÌNH\na) Về bản thân: Bố, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột",
            ),
            (FamilyMember.Side.SPOUSE, "b) Về bên vợ (hoặc chồng): Bố, Mẹ, anh chị em ruột"),
        ):
            rows = [
                [
                    display(m, "relation"),
                    m.full_name,
                    m.birth_year or "",
                    "; ".join(part for part in (m.details, m.memberships) if part),
                ]
                for m in data.family
                if m.side == side
            ]
            parts.append(paragraph(title, "section"))
            parts.append(self._table(header, rows, family_widths))
        parts.append(
            paragraph("31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", "section")
        )
        parts.append(
            self._table(
                ["Tháng/năm", "Mã ngạch/bậc", "Hệ số lương"],
                [
                    [
                        f"{r.effective_date:%m/%Y}",
                        f"{r.rank_code}/{r.step}",
                        format_coefficient(r.coefficient)
                        + (
                            f" + {r.beyond_scale_percent:.0f}% VK" if r.beyond_scale_percent else ""
                        ),
                    ]
                    for r in data.salary_history
                ],
                [width * 0.3, width * 0.35, width * 0.35],
            )
        )
        return parts

    def assessment(self) -> list:
        """Item 32: its heading and the assessment, a paragraph per line written."""
        lines = [line for line in self._value("assessment").splitlines() if line.strip()]
        return [
            paragraph(
                "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
                "section",
            ),
            *(paragraph(line) for line in lines or [EMPTY]),
        ]

    def closing(self, width: float) -> list:
        today = self.extracted_at
        left = [
            paragraph("Người khai", "heading"),
            paragraph(
                "Tôi xin cam đoan những lời khai trên đây là đúng sự thật và chịu trách nhiệm về những lời khai của mình",
                "center_italic",
            ),
            Spacer(1, 36),
            paragraph(self.staff.full_name, "heading"),
        ]
        right = [
            paragraph(f"…, Ngày {today:%d} tháng {today:%m} năm {today:%Y}", "center_italic"),
            paragraph("Thủ trưởng cơ quan, đơn vị quản lý và sử dụng", "heading"),
            paragraph("(Ký tên, đóng dấu)", "center_italic"),
            Spacer(1, 48),
        ]
        signatures = Table([[left, right]], colWidths=[width / 2, width / 2])
        signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return [Spacer(1, 12), signatures]


def _place(commune: str, district: str, province: str) -> str:
    parts = [part for part in (commune, district, province) if part]
    return ", ".join(parts) if parts else EMPTY


def _period(start, end, open_end: str = "") -> str:
    first = str(start) if start else ""
    last = str(end) if end else open_end
    return f"{first} – {last}".strip(" –")


def dossier_font() -> str:
    """The PDF body font (for tests and other documents)."""
    return styles()["body"].fontName


__all__ = ["BOLD", "DossierData", "DossierPDF", "dossier_font"]
