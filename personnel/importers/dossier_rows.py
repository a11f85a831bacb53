"""Training and family rows of the dossier (Mẫu 2C-BNV/2008 items 27 and 30) from a
spreadsheet: one row per course or per relative, the person named by personal ID.

They are two kinds of their own (templates "Đào tạo" and "Quan hệ gia đình"), not columns of
the staff template: a person has many of each, and a clerk's lists of them are kept apart from
the list of staff (docs/rules.md §8.5, §8.8). They are imported after the staff records, in the
same flow (``personnel.importers.keyed``). Each row is checked by its model's rules (dates
bounds and order, year of birth) as on the dossier's screen.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrms.lib.vietnamese import fold
from personnel.importers import columns as c
from personnel.importers.keyed import OTHER, SAME, KeyedRows
from personnel.importers.kinds import ImportKind
from personnel.models import FamilyMember, Training

PERSONAL_ID = c.Column(
    "personal_id", "Số định danh cá nhân (CCCD) (*)", c.digits(12),
    ("so dinh danh ca nhan", "so dinh danh", "cccd", "so cccd", "ma dinh danh"),
    "001062000123", width=18,
)  # fmt: skip
STAFF_NAME = c.Column(
    "staff_name", "Họ và tên cán bộ", c.text(200), ("ho va ten can bo", "ho ten can bo"),
    "Nguyễn Văn An", width=22,
)  # fmt: skip

MODES = [
    (Training.Mode.FULL_TIME, "Chính quy", ("chinh quy", "tap trung")),
    (Training.Mode.IN_SERVICE, "Tại chức, vừa làm vừa học", ("tai chuc", "vua lam vua hoc")),
    (Training.Mode.DISTANCE, "Từ xa", ("tu xa",)),
    (Training.Mode.SHORT_COURSE, "Bồi dưỡng ngắn hạn", ("boi duong", "ngan han")),
    (Training.Mode.OTHER, "Khác", ()),
]
SIDES = [
    (FamilyMember.Side.OWN, "Về bản thân", ("ban than", "gia dinh ban than")),
    (FamilyMember.Side.SPOUSE, "Về bên vợ hoặc chồng",
     ("ben vo", "ben chong", "ben vo chong", "gia dinh ben vo chong")),
]  # fmt: skip
RELATIONS = [
    (FamilyMember.Relation.FATHER, "Bố", ("cha", "bo de", "bo vo", "bo chong")),
    (FamilyMember.Relation.MOTHER, "Mẹ", ("me de", "me vo", "me chong")),
    (FamilyMember.Relation.SPOUSE, "Vợ hoặc chồng", ("vo", "chong", "vo chong")),
    (FamilyMember.Relation.CHILD, "Con", ("con trai", "con gai")),
    (FamilyMember.Relation.SIBLING, "Anh, chị, em ruột",
     ("anh", "chi", "em", "anh ruot", "chi ruot", "em ruot", "anh chi em ruot")),
    (FamilyMember.Relation.OTHER, "Khác", ()),
]  # fmt: skip


def _year(value) -> int:
    text = c.cell_text(value)
    if not text.isdigit() or len(text) != 4:
        raise ValidationError(_("Enter the year as four digits (yyyy)."))
    return int(text)


def _names(options) -> list[str]:
    return [name for _v, name, _a in options]


def _same_text(a: str, b: str) -> bool:
    return fold(a or "") == fold(b or "")


class _ChildRows(KeyedRows):
    """Dossier rows: new rows go after the person's existing ones (``row_order``)."""

    def prepare(self, staff_ids):
        self.stored = {}
        for row in self.model.objects.filter(staff_id__in=staff_ids):
            self.stored.setdefault(row.staff_id, []).append(row)
        self.next_order = {
            staff_id: (top or 0) + 1
            for staff_id, top in self.model.objects.filter(staff_id__in=staff_ids)
            .values_list("staff_id")
            .annotate(top=Max("row_order"))
        }

    def _place(self, item, staff) -> None:
        item.row_order = self.next_order.get(staff.pk, 0)
        self.next_order[staff.pk] = item.row_order + 1

    def _checked(self, item):
        """The model's field rules, then its database checks one by one, each refusal on
        the column its check is about (a check is named "<model>_<field>_…")."""
        try:
            item.full_clean(exclude=["row_order"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(error.message_dict) from error
        prefix = self.model._meta.model_name + "_"
        errors = {}
        for constraint in self.model._meta.constraints:
            try:
                constraint.validate(self.model, item)
            except ValidationError as error:
                rest = constraint.name.removeprefix(prefix)
                key = next(
                    (key for key in self.column_by_key if rest.startswith(key + "_")),
                    self.duplicate_column,
                )
                errors.setdefault(key, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return item


class TrainingRows(_ChildRows):
    """Item 27: a course, identified within a person by its school and start."""

    model = Training
    columns = [
        PERSONAL_ID,
        STAFF_NAME,
        c.Column("school", "Tên trường, cơ sở đào tạo (*)", c.text(255),
                 ("ten truong", "truong", "co so dao tao", "noi dao tao"),
                 "Trường Đại học Sư phạm Hà Nội", width=30),
        c.Column("field", "Chuyên ngành, lớp bồi dưỡng", c.text(255),
                 ("chuyen nganh", "nganh hoc", "chuyen nganh dao tao", "lop boi duong"),
                 "Sư phạm Toán", width=24),
        c.Column("start", "Từ (tháng/năm) (*)", c.partial_date,
                 ("tu", "tu thang nam", "tu ngay", "thoi gian bat dau", "bat dau"), "09/1980"),
        c.Column("end", "Đến (tháng/năm)", c.partial_date,
                 ("den", "den thang nam", "den ngay", "thoi gian ket thuc", "ket thuc"),
                 "06/1984"),
        c.Column("mode", "Hình thức đào tạo", c.choice(MODES),
                 ("hinh thuc dao tao", "hinh thuc", "loai hinh dao tao"), "Chính quy",
                 choices=lambda: _names(MODES), width=24),
        c.Column("degree", "Văn bằng, chứng chỉ", c.text(160),
                 ("van bang", "van bang chung chi", "bang cap", "trinh do"), "Cử nhân",
                 width=20),
    ]  # fmt: skip
    required = ("school", "start")
    duplicate_column = "school"

    def identity(self, values):
        return (fold(values["school"]), values["start"].iso())

    def duplicate_message(self):
        return _("This course (school and start) of the person is already on row %(row)d of "
                 "the file.")  # fmt: skip

    def compare(self, staff, values):
        for row in self.stored.get(staff.pk, []):
            if (fold(row.school), row.start.iso() if row.start else "") != self.identity(values):
                continue
            same = (
                _same_text(row.field, values.get("field", ""))
                and (row.end.iso() if row.end else "")
                == (values["end"].iso() if values.get("end") else "")
                and row.mode == values.get("mode", "")
                and _same_text(row.degree, values.get("degree", ""))
            )
            return SAME if same else OTHER
        return None

    def conflict_message(self):
        return _(
            "The record already has this course (school and start) with other details; "
            "correct it on the record."
        )

    def build(self, staff, values, batch):
        item = Training(
            staff=staff, school=values["school"], field=values.get("field", ""),
            start=values["start"], end=values.get("end"), mode=values.get("mode", ""),
            degree=values.get("degree", ""),
        )  # fmt: skip
        self._place(item, staff)
        return self._checked(item)


class FamilyRows(_ChildRows):
    """Items 30a and 30b: a relative, identified within a person by side, relation and
    name."""

    model = FamilyMember
    columns = [
        PERSONAL_ID,
        STAFF_NAME,
        c.Column("side", "Về bản thân / bên vợ hoặc chồng", c.choice(SIDES),
                 ("ve ban than ben vo hoac chong", "ben", "ve", "quan he ve"), "Về bản thân",
                 choices=lambda: _names(SIDES), width=22),
        c.Column("relation", "Quan hệ (*)", c.choice(RELATIONS),
                 ("quan he", "moi quan he", "quan he gia dinh"), "Bố",
                 choices=lambda: _names(RELATIONS), width=16),
        c.Column("full_name", "Họ và tên người thân (*)", c.text(120),
                 ("ho va ten nguoi than", "ho ten nguoi than", "ho va ten", "ho ten"),
                 "Nguyễn Văn Bình", width=22),
        c.Column("birth_year", "Năm sinh", _year, ("nam sinh",), "1935", width=8),
        c.Column("details", "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học "
                 "tập, nơi ở", c.text(2000),
                 ("que quan nghe nghiep", "que quan nghe nghiep noi o", "chi tiet", "thong tin"),
                 "Quê quán: Nam Định; nghề nghiệp: nghỉ hưu; nơi ở: Hà Nội", width=40),
        c.Column("memberships", "Thành viên các tổ chức chính trị - xã hội",
                 c.text(255), ("thanh vien cac to chuc", "to chuc chinh tri xa hoi",
                               "dang vien doan the"), "Đảng viên", width=20),
    ]  # fmt: skip
    required = ("relation", "full_name")
    duplicate_column = "full_name"

    def identity(self, values):
        return (values.get("side", FamilyMember.Side.OWN), values["relation"],
                fold(values["full_name"]))  # fmt: skip

    def duplicate_message(self):
        return _("This relative of the person is already on row %(row)d of the file.")

    def compare(self, staff, values):
        for row in self.stored.get(staff.pk, []):
            if (row.side, row.relation, fold(row.full_name)) != self.identity(values):
                continue
            same = (
                row.birth_year == values.get("birth_year")
                and _same_text(row.details, values.get("details", ""))
                and _same_text(row.memberships, values.get("memberships", ""))
            )
            return SAME if same else OTHER
        return None

    def conflict_message(self):
        return _(
            "The record already has this relative with other details; correct it on the record."
        )

    def build(self, staff, values, batch):
        item = FamilyMember(
            staff=staff, side=values.get("side", FamilyMember.Side.OWN),
            relation=values["relation"], full_name=values["full_name"],
            birth_year=values.get("birth_year"), details=values.get("details", ""),
            memberships=values.get("memberships", ""),
        )  # fmt: skip
        self._place(item, staff)
        return self._checked(item)


def _kind(rows: KeyedRows, key: str, label, sheet_title: str, file_name: str) -> ImportKind:
    return ImportKind(
        key=key, label=label, columns=rows.columns, check=rows.check_rows, undo=rows.undo,
        lists=lambda user: {}, sheet_title=sheet_title, file_name=file_name,
    )  # fmt: skip


TRAINING_KIND = _kind(TrainingRows(), "training", gettext_lazy("Training"), "DaoTao",
                      "mau-nhap-dao-tao.xlsx")  # fmt: skip
FAMILY_KIND = _kind(FamilyRows(), "family", gettext_lazy("Family relations"), "QuanHeGiaDinh",
                    "mau-nhap-quan-he-gia-dinh.xlsx")  # fmt: skip
