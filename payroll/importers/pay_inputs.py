"""Dependants and allowances of a person from a spreadsheet: one row per registered dependant
or per allowance granted, the person named by personal ID (docs/rules.md §8.8).

The flow is personnel's (``personnel.importers.keyed``): matched across the province, scope
and own record refused, duplicates in the file refused, identical stored rows "unchanged",
written in one transaction, attributed to the importer and the batch, undone while untouched.
Each row is checked by the rules of the pay-input screens (``payroll.services.pay_inputs``):
a dependant's months in order, not before the birth, a valid tax code, not registered twice for
overlapping months nor for another taxpayer (§6.2); an allowance assignable to a person, in
force, its value among those the law allows, one row of a kind at a time (§3.9–§3.12).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrms.lib.vietnamese import fold
from payroll.importers.salary import decimal_number
from payroll.models import AllowanceAssignment, AllowanceType, Dependant
from payroll.services.pay_inputs import (
    AllowanceValues,
    DependantValues,
    allowance_problems,
    assignable_types,
    dependant_problems,
)
from personnel.importers import columns as c
from personnel.importers.dossier_rows import PERSONAL_ID, STAFF_NAME
from personnel.importers.keyed import OTHER, SAME, KeyedRows
from personnel.importers.kinds import ImportKind

RELATIONS = [
    (Dependant.Relation.CHILD, "Con", ("con de", "con nuoi", "con trai", "con gai")),
    (Dependant.Relation.SPOUSE, "Vợ hoặc chồng", ("vo", "chong", "vo chong")),
    (Dependant.Relation.PARENT, "Bố hoặc mẹ", ("bo", "me", "cha", "cha me", "bo me")),
    (Dependant.Relation.OTHER, "Người khác phải nuôi dưỡng",
     ("khac", "nguoi khac", "nguoi khac phai nuoi duong")),
]  # fmt: skip


def tax_code_or_id(value) -> str:
    """A tax code (10 digits) or a personal ID (12): the leading zero Excel dropped from a
    number is put back."""
    text = c.digits(10)(value)
    if isinstance(value, float | int) and len(text) == 11:
        text = "0" + text
    return text


def month(value):
    """A month as mm/yyyy (a full date counts for its month): its first day."""
    partial = c.partial_date(value)
    if partial.month is None:
        raise ValidationError(_("Enter the month as mm/yyyy."))
    return partial.first_day.replace(day=1)


def _optional_equal(a, b) -> bool:
    return (a or None) == (b or None)


class DependantRows(KeyedRows):
    """A dependant, identified within a person by name, date of birth and first month."""

    model = Dependant
    columns = [
        PERSONAL_ID,
        STAFF_NAME,
        c.Column("full_name", "Họ và tên người phụ thuộc (*)", c.text(120),
                 ("ho va ten nguoi phu thuoc", "ho ten nguoi phu thuoc", "nguoi phu thuoc"),
                 "Nguyễn Minh Châu", width=22),
        c.Column("relation", "Quan hệ với người nộp thuế (*)", c.choice(RELATIONS),
                 ("quan he voi nguoi nop thue", "quan he"), "Con",
                 choices=lambda: [name for _v, name, _a in RELATIONS], width=20),
        c.Column("birth_date", "Ngày sinh", c.full_date,
                 ("ngay sinh", "ngay sinh nguoi phu thuoc"), "05/03/2015"),
        c.Column("tax_code", "Mã số thuế hoặc số định danh người phụ thuộc", tax_code_or_id,
                 ("ma so thue", "mst", "ma so thue nguoi phu thuoc", "so dinh danh",
                  "cccd nguoi phu thuoc"), "", width=18),
        c.Column("from_month", "Giảm trừ từ tháng (*)", month,
                 ("giam tru tu thang", "tu thang", "thoi diem bat dau tinh giam tru"),
                 "03/2015"),
        c.Column("to_month", "Đến tháng", month,
                 ("den thang", "thoi diem ket thuc tinh giam tru"), ""),
    ]  # fmt: skip
    required = ("full_name", "relation", "from_month")
    duplicate_column = "full_name"

    def prepare(self, staff_ids):
        self.stored = {}
        for row in Dependant.objects.filter(staff_id__in=staff_ids):
            self.stored.setdefault(row.staff_id, []).append(row)

    def identity(self, values):
        birth = values.get("birth_date")
        return (fold(" ".join(values["full_name"].split())), birth.isoformat() if birth else "",
                values["from_month"].isoformat())  # fmt: skip

    def duplicate_message(self):
        return _("This dependant (name, date of birth and first month) is already on row "
                 "%(row)d of the file.")  # fmt: skip

    def compare(self, staff, values):
        for row in self.stored.get(staff.pk, []):
            birth = row.birth_date.isoformat() if row.birth_date else ""
            if (fold(row.full_name), birth, row.from_month.isoformat()) != self.identity(values):
                continue
            same = (
                row.relation == values["relation"]
                and _optional_equal(row.to_month, values.get("to_month"))
                and row.tax_code == values.get("tax_code", "")
            )
            return SAME if same else OTHER
        return None

    def conflict_message(self):
        return _("The person already has this dependant from this month with other details; "
                 "correct it on the pay inputs.")  # fmt: skip

    def build(self, staff, values, batch):
        checked, errors = dependant_problems(
            staff=staff,
            values=DependantValues(
                full_name=values["full_name"], relation=values["relation"],
                from_month=values["from_month"], to_month=values.get("to_month"),
                birth_date=values.get("birth_date"), tax_code=values.get("tax_code", ""),
            ),
        )  # fmt: skip
        if errors:
            raise ValidationError(errors)
        return Dependant(
            staff=staff, full_name=checked.full_name, relation=checked.relation,
            birth_date=checked.birth_date, tax_code=checked.tax_code,
            from_month=checked.from_month, to_month=checked.to_month,
        )  # fmt: skip


class AllowanceRows(KeyedRows):
    """An allowance of the person's own, identified within a person by kind and first day."""

    model = AllowanceAssignment
    columns = [
        PERSONAL_ID,
        STAFF_NAME,
        c.Column("allowance", "Mã phụ cấp (*)", c.text(160),
                 ("ma phu cap", "phu cap", "loai phu cap", "ten phu cap"), "TRACHNHIEM",
                 width=16),
        c.Column("value", "Hệ số hoặc tỷ lệ (%)", decimal_number,
                 ("he so hoac ty le", "he so", "ty le", "muc huong", "gia tri"), "0,2",
                 width=12),
        c.Column("since", "Tính thâm niên nghề từ ngày", c.full_date,
                 ("tinh tham nien nghe tu ngay", "tham nien tu", "tinh tu ngay"), ""),
        c.Column("valid_from", "Hưởng từ ngày (*)", c.full_date,
                 ("huong tu ngay", "tu ngay", "ngay huong", "hieu luc tu"), "01/01/2025"),
        c.Column("valid_to", "Đến ngày", c.full_date, ("den ngay", "hieu luc den"), ""),
        c.Column("decision", "Số, ngày quyết định", c.text(160),
                 ("so ngay quyet dinh", "so quyet dinh", "quyet dinh"), "12/QĐ-SGD ngày 20/12/2024",
                 width=24),
        c.Column("note", "Ghi chú", c.text(255), ("ghi chu",), ""),
    ]  # fmt: skip
    required = ("allowance", "valid_from")
    duplicate_column = "valid_from"
    FIELD_COLUMN = {"allowance_type": "allowance"}

    def prepare(self, staff_ids):
        self.types = {}
        for kind in AllowanceType.objects.all():
            self.types.setdefault(fold(kind.code), kind)
            self.types.setdefault(fold(kind.name), kind)
        self.stored = {}
        for row in AllowanceAssignment.objects.filter(staff_id__in=staff_ids):
            self.stored.setdefault(row.staff_id, []).append(row)

    def resolve(self, result, values):
        kind = self.types.get(fold(values["allowance"]))
        if kind is None:
            result.refuse(
                "allowance",
                _("No allowance has the code or name “%(value)s”.")
                % {"value": values["allowance"]},
            )
            return
        values["allowance"] = kind

    def identity(self, values):
        return (values["allowance"].pk, values["valid_from"].isoformat())

    def duplicate_message(self):
        return _("This allowance from this day is already on row %(row)d of the file.")

    def compare(self, staff, values):
        for row in self.stored.get(staff.pk, []):
            if (row.allowance_type_id, row.valid_from.isoformat()) != self.identity(values):
                continue
            same = (
                row.value == (values.get("value") or Decimal(0))
                and _optional_equal(row.since, values.get("since"))
                and _optional_equal(row.valid_to, values.get("valid_to"))
            )
            return SAME if same else OTHER
        return None

    def conflict_message(self):
        return _("The person already has this allowance from this day with other values; "
                 "correct it on the pay inputs.")  # fmt: skip

    def build(self, staff, values, batch):
        granted = AllowanceValues(
            allowance_type=values["allowance"], valid_from=values["valid_from"],
            value=values.get("value") or Decimal(0), since=values.get("since"),
            valid_to=values.get("valid_to"), decision=values.get("decision", ""),
            note=values.get("note", ""),
        )  # fmt: skip
        errors = allowance_problems(staff, granted)
        if errors:
            raise ValidationError(
                {self.FIELD_COLUMN.get(name, name): message for name, message in errors.items()}
            )
        return AllowanceAssignment(
            staff=staff, allowance_type=granted.allowance_type, value=granted.value,
            since=granted.since, valid_from=granted.valid_from, valid_to=granted.valid_to,
            decision=granted.decision, note=granted.note, recorded_by=batch.requested_by,
        )  # fmt: skip


def _allowance_lists(user) -> dict[str, list[str]]:
    return {
        "allowance": list(
            assignable_types(timezone.localdate()).order_by("code").values_list("code", flat=True)
        )
    }


DEPENDANTS_KIND = ImportKind(
    key="dependants",
    label=gettext_lazy("Dependants (family deduction)"),
    columns=DependantRows.columns,
    check=DependantRows().check_rows,
    undo=DependantRows().undo,
    lists=lambda user: {},
    sheet_title="NguoiPhuThuoc",
    file_name="mau-nhap-nguoi-phu-thuoc.xlsx",
)
ALLOWANCES_KIND = ImportKind(
    key="allowances",
    label=gettext_lazy("Allowances of a person"),
    columns=AllowanceRows.columns,
    check=AllowanceRows().check_rows,
    undo=AllowanceRows().undo,
    lists=_allowance_lists,
    sheet_title="PhuCap",
    file_name="mau-nhap-phu-cap.xlsx",
)
