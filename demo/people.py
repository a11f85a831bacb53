"""Plausible demo staff: Vietnamese names, ages, identifiers, positions and a filled dossier.

Personal ID numbers follow the CCCD layout (docs/rules.md §8.2): 3-digit place-of-registration code,
century/sex digit (0/1 = 1900s male/female, 2/3 = 2000s), two birth-year digits, 6 random
digits. Tax codes carry a valid check digit. Everything is drawn from one seeded random
generator, so a seed always gives the same people.
"""

import datetime
import random
from bisect import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from demo.names import GIVEN_NAMES, MIDDLE_NAMES, PLACE_FIRST, PLACE_SECOND, SURNAMES
from hrms.lib.partial_dates import PartialDate
from payroll.models import AllowanceAssignment, Dependant, PayProfile, SalaryRecord
from payroll.rules.progression import add_months
from personnel.models import (
    AnnualRating,
    Award,
    Certificate,
    Discipline,
    FamilyMember,
    OrgUnit,
    Staff,
    StaffGroup,
    Training,
    WorkHistory,
)
from personnel.validators import tax_code_check_digit

# Ages and statuses are computed against a fixed date so a seed gives the same data every year.
REFERENCE_DATE = datetime.date(2026, 7, 1)
# Birth-registration codes of this and neighbouring provinces (most staff are local).
BIRTH_PLACE_CODES = [
    ("037", 55),
    ("036", 12),
    ("035", 10),
    ("034", 8),
    ("038", 7),
    ("001", 5),
    ("079", 3),
]
PROVINCES = {"037": "Ninh Bình", "036": "Nam Định", "035": "Hà Nam", "034": "Thái Bình",
             "038": "Thanh Hóa", "001": "Hà Nội", "079": "TP Hồ Chí Minh"}  # fmt: skip
STATUSES = [
    (Staff.Status.ACTIVE, 955),
    (Staff.Status.LEAVE_WITHOUT_PAY, 10),
    (Staff.Status.RETIRED, 25),
    (Staff.Status.RESIGNED, 7),
    (Staff.Status.DECEASED, 3),
]
ETHNICITIES = [("01", 880), ("06", 40), ("02", 20), ("03", 15), ("07", 10), ("08", 10),
               ("09", 10), ("04", 5), ("05", 5), ("17", 5)]  # fmt: skip
RELIGIONS = [("00", 820), ("01", 90), ("02", 75), ("03", 10), ("04", 5)]


class WeightedChoice:
    """Draw from (value, weight) pairs with a given random generator."""

    def __init__(self, pairs):
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


_SURNAMES = WeightedChoice(SURNAMES)
_MIDDLE = {sex: WeightedChoice(pairs) for sex, pairs in MIDDLE_NAMES.items()}
_BIRTH_PLACES = WeightedChoice(BIRTH_PLACE_CODES)
_STATUSES = WeightedChoice(STATUSES)
_ETHNICITIES = WeightedChoice(ETHNICITIES)
_RELIGIONS = WeightedChoice(RELIGIONS)


@dataclass
class Lookups:
    """Reference rows the generator needs, loaded once."""

    ranks: dict  # code → Rank
    ethnic_groups: dict  # code → EthnicGroup
    religions: dict
    rating_levels: dict
    discipline_types: dict
    scales: dict = field(default_factory=dict)  # salary group id → payroll.selectors.GroupScale
    allowance_types: dict = field(default_factory=dict)  # code → payroll.AllowanceType


@dataclass
class Person:
    """One generated staff record with its table rows, ready for bulk insertion."""

    staff: Staff
    rows: list = field(default_factory=list)


def full_name(rng: random.Random, sex: str) -> str:
    return f"{_SURNAMES.draw(rng)} {_MIDDLE[sex].draw(rng)} {rng.choice(GIVEN_NAMES[sex])}"


def personal_id(
    rng: random.Random, sex: str, born: datetime.date, taken: set[str], place: str = ""
) -> str:
    """A fresh CCCD-shaped number consistent with sex and birth year."""
    century = 0 if born.year < 2000 else 2
    digit = century + (1 if sex == Staff.Sex.FEMALE else 0)
    head = f"{place or _BIRTH_PLACES.draw(rng)}{digit}{born.year % 100:02d}"
    while True:
        number = f"{head}{rng.randrange(1_000_000):06d}"
        if number not in taken:
            taken.add(number)
            return number


def tax_code(rng: random.Random, taken: set[str]) -> str:
    """A 10-digit personal tax code with a valid check digit (80xxxxxxxx, individuals)."""
    while True:
        first = "80" + f"{rng.randrange(10_000_000):07d}"
        check = tax_code_check_digit(first)
        if check is not None and (code := f"{first}{check}") not in taken:
            taken.add(code)
            return code


def birth_date(rng: random.Random, youngest: int, oldest: int) -> datetime.date:
    age_days = rng.randint(youngest * 365 + 10, oldest * 365 - 10)
    return REFERENCE_DATE - datetime.timedelta(days=age_days)


def place(rng: random.Random) -> str:
    return f"{rng.choice(PLACE_FIRST)} {rng.choice(PLACE_SECOND)}"


def category_for(rng: random.Random, unit: OrgUnit) -> str:
    """Public-service units employ viên chức; agencies employ công chức (and some cán bộ)."""
    roll = rng.random()
    if unit.kind == OrgUnit.Kind.PUBLIC_SERVICE_UNIT:
        return Staff.Category.PUBLIC_EMPLOYEE if roll < 0.92 else Staff.Category.CONTRACT
    if unit.kind == OrgUnit.Kind.PEOPLES_COMMITTEE and roll < 0.3:
        return Staff.Category.CADRE
    return Staff.Category.CIVIL_SERVANT if roll < 0.93 else Staff.Category.CONTRACT


_SCHOOL_PREFIXES = (
    ("Trường Mầm non", "MN"), ("Trường Tiểu học", "TH"), ("Trường THCS", "THCS"),
    ("Trường THPT", "THPT"), ("Trường Phổ thông", "THPT"), ("Trung tâm Giáo dục", "THPT"),
)  # fmt: skip


def school_level(unit: OrgUnit) -> str | None:
    """The kind of school a unit is (MN, TH, THCS, THPT), from its name; None otherwise."""
    for prefix, level in _SCHOOL_PREFIXES:
        if unit.name.startswith(prefix):
            return level
    return None


# Sector incentive of teachers by kind of school from 2026 (NĐ 182/2026/NĐ-CP;
# docs/rules.md §3.7): by the school's level, or by its unit-code suffix for the gifted
# school and the ethnic boarding school.
SECTOR_INCENTIVE = {
    "MN": "45", "TH": "45", "THCS": "40", "THPT": "40", "THPTCHUYEN": "60", "PTDTNT": "80",
}  # fmt: skip
# The kind of school in fixtures/payroll/sector_incentive_rates.csv.
SECTOR_RATE = {
    "MN": "preschool_primary", "TH": "preschool_primary", "THCS": "secondary",
    "THPT": "secondary", "THPTCHUYEN": "gifted_semi_boarding", "PTDTNT": "boarding_special",
}  # fmt: skip


_TEACHER_RANKS = {
    "MN": ["V.07.02.26", "V.07.02.25", "V.07.02.24"],
    "TH": ["V.07.03.29", "V.07.03.28", "V.07.03.27"],
    "THCS": ["V.07.04.32", "V.07.04.31", "V.07.04.30"],
    "THPT": ["V.07.05.15", "V.07.05.14", "V.07.05.13"],
}
_CIVIL_RANKS = WeightedChoice([("01.003", 66), ("01.002", 20), ("01.001", 2), ("01.004", 5),
                               ("01.005", 3), ("06.031", 4)])  # fmt: skip


def rank_and_title(
    rng: random.Random, unit: OrgUnit, category: str, leader: int
) -> tuple[str | None, str]:
    """(rank code, position title) plausible for the unit; ``leader`` is 1 for the head,
    2 for a deputy, 0 otherwise."""
    school = school_level(unit)
    health = unit.name.startswith(
        ("Bệnh viện", "Trung tâm Y tế", "Trạm Y tế", "Trung tâm Kiểm soát")
    )
    if category == Staff.Category.CONTRACT:
        return None, rng.choice(["Nhân viên", "Bảo vệ", "Lái xe", "Nhân viên phục vụ"])
    if school:
        grade = rng.choices([0, 1, 2], weights=[45, 45, 10])[0]
        title = {1: "Hiệu trưởng", 2: "Phó Hiệu trưởng"}.get(leader, "Giáo viên")
        if unit.name.startswith("Trung tâm"):
            title = {1: "Giám đốc", 2: "Phó Giám đốc"}.get(leader, "Giáo viên")
        return _TEACHER_RANKS[school][max(grade, 1) if leader else grade], title
    if health:
        doctor = rng.random() < 0.4 or leader
        title = {1: "Giám đốc", 2: "Phó Giám đốc"}.get(leader, "Bác sĩ" if doctor else "Y sĩ")
        if unit.name.startswith("Trạm Y tế"):
            title = {1: "Trạm trưởng", 2: "Phó Trạm trưởng"}.get(leader, title)
        code = rng.choice(["V.08.01.03", "V.08.01.02"]) if doctor else "V.08.03.07"
        return code, title
    if leader:
        if unit.kind == OrgUnit.Kind.PEOPLES_COMMITTEE:
            title = {1: "Chủ tịch Ủy ban nhân dân", 2: "Phó Chủ tịch Ủy ban nhân dân"}[leader]
        elif unit.kind in (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.AGENCY):
            head = "Chánh Thanh tra" if unit.name.startswith("Thanh tra") else "Giám đốc"
            if unit.name.startswith("Chi cục"):
                head = "Chi cục trưởng"
            title = head if leader == 1 else f"Phó {head[0].lower()}{head[1:]}"
        else:
            title = {1: "Trưởng phòng", 2: "Phó Trưởng phòng"}[leader]
        return rng.choice(["01.002", "01.001"]) if leader == 1 else "01.002", title
    code = _CIVIL_RANKS.draw(rng)
    if unit.name.startswith("Thanh tra") and rng.random() < 0.7:
        code = "04.025"
    return code, "Kế toán viên" if code.startswith("06.") else "Chuyên viên"


FIELDS = [
    "Luật", "Kinh tế", "Quản lý nhà nước", "Tài chính - Ngân hàng", "Kế toán",
    "Công nghệ thông tin", "Quản trị kinh doanh", "Hành chính học", "Xây dựng", "Nông học",
]  # fmt: skip
SCHOOLS = [
    "Trường Đại học Sư phạm Hà Nội", "Trường Đại học Luật Hà Nội", "Học viện Hành chính Quốc gia",
    "Trường Đại học Kinh tế Quốc dân", "Trường Đại học Y Hà Nội", "Trường Đại học Hoa Lư",
    "Trường Đại học Bách khoa Hà Nội", "Học viện Tài chính", "Trường Đại học Vinh",
]  # fmt: skip


def make_person(
    rng: random.Random,
    *,
    number: int,
    unit: OrgUnit,
    taken_ids: set[str],
    lookups: Lookups,
    leader: int = 0,
) -> Person:
    """One unsaved staff record in ``unit`` with a filled dossier."""
    female_share = 0.72 if unit.kind == OrgUnit.Kind.PUBLIC_SERVICE_UNIT else 0.5
    sex = Staff.Sex.FEMALE if rng.random() < female_share else Staff.Sex.MALE
    status = Staff.Status.ACTIVE if leader else _STATUSES.draw(rng)
    if status == Staff.Status.RETIRED:
        born = birth_date(rng, 58, 66)
    else:
        youngest = 38 if leader else 23
        born = birth_date(rng, youngest, 57 if sex == Staff.Sex.FEMALE else 61)
    category = category_for(rng, unit)
    if leader and category == Staff.Category.CONTRACT:
        category = Staff.Category.CIVIL_SERVANT
    rank_code, title = rank_and_title(rng, unit, category, leader)
    home_code = _BIRTH_PLACES.draw(rng)
    province = PROVINCES[home_code]
    commune, district = place(rng), place(rng)
    recruited = born + datetime.timedelta(days=365 * rng.randint(22, 28) + rng.randint(0, 364))
    recruited = min(recruited, REFERENCE_DATE - datetime.timedelta(days=30))
    old_record = born.year < 1975 and rng.random() < 0.3
    teacher = school_level(unit) is not None
    health = unit.name.startswith(
        ("Bệnh viện", "Trung tâm Y tế", "Trạm Y tế", "Trung tâm Kiểm soát")
    )
    qualification = rng.choices(
        ["intermediate", "college", "bachelor", "master", "doctor"], weights=[5, 10, 65, 18, 2]
    )[0]
    qualification_field = (
        "Sư phạm "
        + rng.choice(
            [
                "Toán",
                "Ngữ văn",
                "Tiếng Anh",
                "Vật lý",
                "Hóa học",
                "Lịch sử",
                "Mầm non",
                "Tiểu học",
                "Sinh học",
                "Địa lý",
            ]
        )  # fmt: skip
        if teacher
        else ("Y đa khoa" if health else rng.choice(FIELDS))
    )
    party = rng.random() < (0.9 if leader else 0.35)
    party_admitted = recruited + datetime.timedelta(days=rng.randint(200, 3000)) if party else None
    if party_admitted and party_admitted > REFERENCE_DATE:
        party_admitted, party = None, False
    military = sex == Staff.Sex.MALE and rng.random() < 0.08
    staff = Staff(
        staff_number=f"HA{number:06d}",
        full_name=full_name(rng, sex),
        sex=sex,
        birth_date=PartialDate(born.year) if old_record else PartialDate.from_date(born),
        personal_id=personal_id(rng, sex, born, taken_ids, home_code),
        personal_id_issued_on=REFERENCE_DATE - datetime.timedelta(days=rng.randint(60, 1800)),
        personal_id_issued_by="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        tax_code=tax_code(rng, taken_ids),
        social_insurance_number=f"{rng.randrange(10**9, 10**10)}",
        unit=unit,
        category=category,
        status=status,
        status_since=(REFERENCE_DATE - datetime.timedelta(days=rng.randint(30, 900)))
        if status != Staff.Status.ACTIVE
        else None,
        rank=lookups.ranks.get(rank_code) if rank_code else None,
        birth_commune=f"Xã {commune}",
        birth_district=f"Huyện {district}",
        birth_province=f"Tỉnh {province}"
        if not province.startswith(("Hà Nội", "TP"))
        else province,
        home_commune=f"Xã {commune}",
        home_district=f"Huyện {district}",
        home_province=f"Tỉnh {province}" if not province.startswith(("Hà Nội", "TP")) else province,
        ethnicity=lookups.ethnic_groups.get(_ETHNICITIES.draw(rng)),
        religion=lookups.religions.get(_RELIGIONS.draw(rng)),
        permanent_residence=f"Thôn {rng.randint(1, 12)}, xã {place(rng)}, tỉnh Hòa An",
        current_residence=f"Số {rng.randint(1, 300)} đường {place(rng)}, tỉnh Hòa An",
        phone=f"09{rng.randrange(10**7, 10**8)}",
        occupation_when_recruited="Sinh viên mới tốt nghiệp"
        if rng.random() < 0.6
        else "Nhân viên hợp đồng",
        recruitment_date=recruited,
        recruiting_agency=unit.name,
        position_title=title,
        position_since=min(
            recruited + datetime.timedelta(days=rng.randint(0, 4000)), REFERENCE_DATE
        )
        if leader
        else None,
        main_duties={
            "Giáo viên": "Giảng dạy, chủ nhiệm lớp",
            "Chuyên viên": "Tham mưu, tổng hợp",
        }.get(title, ""),
        general_education="12/12",
        qualification=qualification,
        qualification_field=qualification_field,
        political_theory=rng.choices(
            ["", "elementary", "intermediate", "advanced"], weights=[40, 30, 25, 5]
        )[0]
        if not leader
        else rng.choice(["intermediate", "advanced"]),
        state_management=rng.choices(["", "officer", "principal"], weights=[50, 40, 10])[0],
        foreign_languages=rng.choice(
            ["Tiếng Anh B1", "Tiếng Anh B", "Tiếng Anh bậc 3/6", "Tiếng Pháp B", ""]
        ),
        it_skills=rng.choice(["Ứng dụng CNTT cơ bản", "Tin học B", "Ứng dụng CNTT nâng cao", ""]),
        party_admission_date=PartialDate.from_date(party_admitted) if party_admitted else None,
        party_official_date=(
            PartialDate.from_date(party_admitted + datetime.timedelta(days=365))
            if party_admitted and party_admitted + datetime.timedelta(days=365) <= REFERENCE_DATE
            else None
        ),
        organisations="Công đoàn Việt Nam"
        + ("; Đoàn TNCS Hồ Chí Minh" if born.year > 1990 else ""),
        military_enlisted=PartialDate(born.year + 19, rng.randint(1, 12)) if military else None,
        military_discharged=PartialDate(born.year + 21, rng.randint(1, 12)) if military else None,
        military_rank=rng.choice(["Binh nhất", "Hạ sĩ", "Trung sĩ"]) if military else "",
        honorary_title="",
        strengths="",
        health_status=rng.choice(["Tốt", "Tốt", "Tốt", "Bình thường"]),
        height_cm=rng.randint(150, 168) if sex == Staff.Sex.FEMALE else rng.randint(158, 180),
        weight_kg=rng.randint(42, 62) if sex == Staff.Sex.FEMALE else rng.randint(52, 80),
        blood_type=rng.choice(["A", "B", "AB", "O", "O"]),
        policy_family="Con gia đình có công với cách mạng" if rng.random() < 0.03 else "",
        history_detention="",
        history_foreign_orgs="",
        history_relatives_abroad="Có người thân định cư ở nước ngoài"
        if rng.random() < 0.02
        else "",
        assessment="",
    )
    person = Person(staff=staff)
    person.rows += salary_history(rng, staff, recruited=recruited, lookups=lookups)
    _fill_rows(rng, person, unit=unit, born=born, recruited=recruited, title=title,
               qualification_field=qualification_field, lookups=lookups)  # fmt: skip
    person.rows += pay_inputs(rng, person, unit=unit, recruited=recruited, taken_ids=taken_ids,
                              lookups=lookups)  # fmt: skip
    return person


def _male_name(rng: random.Random, surname: str) -> str:
    return f"{surname} {_MIDDLE['male'].draw(rng)} {rng.choice(GIVEN_NAMES['male'])}"


def _training(rng, staff, *, grad, qualification_field, recruited):
    degree = "Bác sĩ" if qualification_field == "Y đa khoa" else "Cử nhân"
    rows = [
        Training(
            staff=staff,
            school=rng.choice(SCHOOLS),
            field=qualification_field,
            start=PartialDate(grad - 4, 9),
            end=PartialDate(grad, 6),
            mode=Training.Mode.FULL_TIME,
            degree=degree,
        )
    ]
    if staff.qualification in ("master", "doctor") and grad + 6 < REFERENCE_DATE.year:
        rows.append(
            Training(
                staff=staff,
                school=rng.choice(SCHOOLS),
                field=qualification_field,
                start=PartialDate(grad + 4, 9),
                end=PartialDate(grad + 6, 6),
                mode=Training.Mode.IN_SERVICE,
                degree="Thạc sĩ",
                row_order=1,
            )
        )
    if staff.political_theory:
        year = min(recruited.year + rng.randint(2, 10), REFERENCE_DATE.year - 1)
        rows.append(
            Training(
                staff=staff,
                school="Trường Chính trị tỉnh Hòa An",
                field="Lý luận chính trị",
                start=PartialDate(year, 3),
                end=PartialDate(year, 9),
                mode=Training.Mode.IN_SERVICE,
                degree=staff.get_political_theory_display(),
                row_order=2,
            )
        )
    return rows


def _work_history(rng, staff, *, unit, recruited, title):
    rows = []
    previous = recruited.year + rng.randint(2, 8)
    start = PartialDate(recruited.year, recruited.month)
    if previous < REFERENCE_DATE.year - 1 and rng.random() < 0.5:
        rows.append(
            WorkHistory(
                staff=staff,
                start=start,
                end=PartialDate(previous, 8),
                position=title if "Giáo" in title else "Chuyên viên",
                unit_name=f"{unit.name.split(' ')[0]} {place(rng)}",
            )
        )
        start = PartialDate(previous, 9)
    rows.append(
        WorkHistory(
            staff=staff,
            start=start,
            end=None,
            position=title,
            unit_name=unit.name,
            unit=unit,
            row_order=1,
        )
    )
    return rows


def _family(rng, staff, *, born):
    surname = staff.full_name.split()[0]
    home = staff.home_province
    rows = [
        FamilyMember(
            staff=staff,
            relation=FamilyMember.Relation.FATHER,
            full_name=_male_name(rng, surname),
            birth_year=born.year - rng.randint(22, 35),
            details=f"Nông dân, {home}",
        ),
        FamilyMember(
            staff=staff,
            relation=FamilyMember.Relation.MOTHER,
            full_name=full_name(rng, "female"),
            birth_year=born.year - rng.randint(20, 32),
            details=f"Nông dân, {home}",
            row_order=1,
        ),
    ]
    if REFERENCE_DATE.year - born.year <= 27 or rng.random() >= 0.85:
        return rows
    spouse_sex = "male" if staff.sex == Staff.Sex.FEMALE else "female"
    spouse = full_name(rng, spouse_sex)
    rows.append(
        FamilyMember(
            staff=staff,
            relation=FamilyMember.Relation.SPOUSE,
            full_name=spouse,
            birth_year=born.year + rng.randint(-4, 4),
            row_order=2,
            details=rng.choice(["Giáo viên", "Kinh doanh", "Công chức", "Công nhân", "Bác sĩ"]),
        )
    )
    children_surname = surname if staff.sex == Staff.Sex.MALE else spouse.split()[0]
    for child in range(rng.choice([0, 1, 2, 2, 3])):
        year = born.year + 26 + child * 3
        if year >= REFERENCE_DATE.year:
            break
        child_sex = rng.choice(["male", "female"])
        given = rng.choice(GIVEN_NAMES[child_sex])
        name = f"{children_surname} {_MIDDLE[child_sex].draw(rng)} {given}"
        rows.append(
            FamilyMember(
                staff=staff,
                relation=FamilyMember.Relation.CHILD,
                full_name=name,
                birth_year=year,
                details="Học sinh" if year > 2004 else "",
                row_order=3 + child,
            )
        )
    rows.append(
        FamilyMember(
            staff=staff,
            side=FamilyMember.Side.SPOUSE,
            relation=FamilyMember.Relation.FATHER,
            full_name=_male_name(rng, spouse.split()[0]),
            birth_year=born.year - rng.randint(22, 35),
            details="Hưu trí",
        )
    )
    return rows


def _fill_rows(rng, person, *, unit, born, recruited, title, qualification_field, lookups):
    staff = person.staff
    grad = born.year + 22
    rows = person.rows
    rows += _training(rng, staff, grad=grad, qualification_field=qualification_field,
                      recruited=recruited)  # fmt: skip
    rows += _work_history(rng, staff, unit=unit, recruited=recruited, title=title)
    rows += _family(rng, staff, born=born)
    for year in range(REFERENCE_DATE.year - 5, REFERENCE_DATE.year):
        if year >= recruited.year + 1:
            level = rng.choices(["HTXSNV", "HTTNV", "HTNV", "KHTNV"], weights=[15, 65, 18, 2])[0]
            rows.append(AnnualRating(staff=staff, year=year, level=lookups.rating_levels[level]))
    first_award_year = max(recruited.year + 1, 2015)
    if rng.random() < 0.35 and first_award_year < REFERENCE_DATE.year:
        year = rng.randint(first_award_year, REFERENCE_DATE.year - 1)
        form = rng.choice(
            [
                "Giấy khen của Giám đốc Sở",
                "Bằng khen của Chủ tịch UBND tỉnh",
                "Chiến sĩ thi đua cơ sở",
            ]
        )
        issuer = "UBND tỉnh Hòa An" if "tỉnh" in form else unit.name
        rows.append(
            Award(
                staff=staff,
                year=year,
                form=form,
                decision=f"{rng.randint(100, 2999)}/QĐ-UBND",
                issuer=issuer,
            )  # fmt: skip
        )
    if rng.random() < 0.01:
        public = StaffGroup.of_category(staff.category) == StaffGroup.PUBLIC_EMPLOYEES
        kind = "VC-KT" if public else "CC-KT"
        rows.append(
            Discipline(
                staff=staff,
                date=REFERENCE_DATE - datetime.timedelta(days=rng.randint(100, 2000)),
                kind=lookups.discipline_types[kind],
                decision=f"{rng.randint(10, 999)}/QĐ-KL",
                reason="Vi phạm quy chế làm việc",
                issuer=unit.name,
            )
        )
    if staff.foreign_languages:
        rows.append(
            Certificate(
                staff=staff,
                kind=Certificate.Kind.LANGUAGE,
                name="Tiếng Anh",
                level=rng.choice(["B1", "B2", "Bậc 3/6"]),
                issued_on=PartialDate(min(grad + 1, REFERENCE_DATE.year - 1), rng.randint(1, 12)),
                issuer="Trường Đại học Ngoại ngữ",
            )
        )
    if staff.it_skills:
        rows.append(
            Certificate(
                staff=staff,
                kind=Certificate.Kind.IT,
                name="Công nghệ thông tin",
                level=staff.it_skills,
                issued_on=PartialDate(min(grad + 1, REFERENCE_DATE.year - 1), rng.randint(1, 12)),
                issuer="Trung tâm Tin học",
                row_order=1,
            )
        )


# Leadership-allowance coefficients of the demo's positions (other provinces; docs/rules.md §3.2).
LEADERSHIP = {
    "Giám đốc": "0.90", "Phó giám đốc": "0.70", "Chánh Thanh tra": "0.90",
    "Phó chánh Thanh tra": "0.70", "Chi cục trưởng": "0.70", "Phó chi cục trưởng": "0.50",
    "Trưởng phòng": "0.40", "Phó Trưởng phòng": "0.30", "Chủ tịch Ủy ban nhân dân": "0.60",
    "Phó Chủ tịch Ủy ban nhân dân": "0.50", "Hiệu trưởng": "0.35", "Phó Hiệu trưởng": "0.25",
    "Trạm trưởng": "0.20", "Phó Trạm trưởng": "0.15",
}  # fmt: skip
KEEP_RECORDS = 5


def salary_history(rng: random.Random, staff: Staff, *, recruited: datetime.date, lookups: Lookups):
    """Approved salary decisions from recruitment to the reference date: a regular raise each
    interval (now and then six months late), then beyond-scale seniority on the last step.
    Keeps the first decision and the latest few."""
    if staff.rank is None or not lookups.scales:
        return []
    scale = lookups.scales[staff.rank.group_id]
    leadership = Decimal(LEADERSHIP.get(staff.position_title, "0"))
    records = []

    def record(kind, effective, step, since, percent=Decimal(0), percent_since=None):
        led = (
            leadership if staff.position_since and effective >= staff.position_since else Decimal(0)
        )
        records.append(
            SalaryRecord(
                staff=staff,
                status=SalaryRecord.Status.APPROVED,
                kind=kind,
                rank=staff.rank,
                step=step,
                coefficient=scale.coefficient(step),
                effective_date=effective,
                step_since=since,
                beyond_scale_percent=percent,
                beyond_scale_since=percent_since,
                leadership_coefficient=led,
                decision_number=f"{rng.randint(10, 999)}/QĐ-{effective.year}",
                decision_date=effective - datetime.timedelta(days=rng.randint(5, 40)),
            )
        )

    step, since = 1, recruited
    record(SalaryRecord.Kind.INITIAL, recruited, 1, recruited)
    percent, percent_since = Decimal(0), None
    while True:
        late = 6 if rng.random() < 0.05 else 0
        if step < scale.last_step:
            due = add_months(since, scale.raise_interval_months + late)
            if due > REFERENCE_DATE:
                break
            step, since = step + 1, due
            record(SalaryRecord.Kind.REGULAR_RAISE, due, step, due)
            continue
        if percent == 0:
            due = add_months(since, scale.beyond_scale_wait_months + late)
        else:
            due = add_months(percent_since, 12 + late)
        if due > REFERENCE_DATE:
            break
        percent, percent_since = (Decimal(5) if percent == 0 else percent + 1), due
        record(SalaryRecord.Kind.BEYOND_SCALE, due, step, since, percent, percent_since)
    if staff.rank.code == CAN_SU and recruited < CAN_SU_TO_A0:
        _placed_in_a0(records)
    return records[:1] + records[1:][-(KEEP_RECORDS - 1) :]


CAN_SU, CAN_SU_TO_A0 = "01.004", datetime.date(2021, 7, 1)


def _placed_in_a0(records: list) -> None:
    """Cán sự moved from group B to A0 on 1 July 2021 (TT 02/2021/TT-BNV; docs/rules.md §2.4):
    the demo records the change of group as a decision on that day, same step and dates, so
    the latest decision of every cán sự reads in A0."""
    before = [r for r in records if r.effective_date < CAN_SU_TO_A0]
    if not before or any(r.effective_date == CAN_SU_TO_A0 for r in records):
        return
    last = before[-1]
    change = SalaryRecord(
        **{f.attname: getattr(last, f.attname) for f in SalaryRecord._meta.concrete_fields
           if f.attname not in ("id", "kind", "effective_date", "decision_date")},
        kind=SalaryRecord.Kind.PROMOTION,
        effective_date=CAN_SU_TO_A0,
        decision_date=CAN_SU_TO_A0,
    )  # fmt: skip
    records.insert(len(before), change)


def apportion(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Split ``total`` people over units in proportion to their weights (largest remainder)."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    by_remainder = sorted(weights, key=lambda key: (-(exact[key] - counts[key]), key))
    for key in by_remainder[:short]:
        counts[key] += 1
    return counts


# --- What the monthly payroll needs of a person (docs/rules.md §3, §5.6, §6.2) ------------------

# Banks salaries are paid into, with the length of their account numbers (fake numbers of the
# right shape; nothing here is a real account).
BANKS = [
    ("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)", 14, 40),
    ("Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam (Agribank)", 13, 30),
    ("Ngân hàng TMCP Công Thương Việt Nam (VietinBank)", 12, 20),
    ("Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)", 13, 10),
]
_BANKS = WeightedChoice([((name, digits), weight) for name, digits, weight in BANKS])
# Professional seniority for teachers counts from 1 May 2011 (NĐ 54/2011/NĐ-CP, then
# NĐ 77/2021/NĐ-CP; docs/rules.md §3.4).
TEACHER_SENIORITY_FROM = datetime.date(2011, 5, 1)
WORKING_STATUSES = (Staff.Status.ACTIVE, Staff.Status.LEAVE_WITHOUT_PAY)
PARENT_DEPENDANT_SHARE = 0.3  # staff without minor children who support a parent


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def pay_inputs(rng, person, *, unit, recruited, taken_ids, lookups) -> list:
    """Union membership and a bank account for everyone working; professional seniority for
    teachers; now and then a responsibility allowance; the minor children (or a parent) as
    registered dependants."""
    staff = person.staff
    if staff.status not in WORKING_STATUSES:
        return []
    bank, digits = _BANKS.draw(rng)
    rows: list = [
        PayProfile(
            staff=staff,
            union_member=rng.random() < 0.9,
            bank_account=str(rng.randrange(10 ** (digits - 1), 10**digits)),
            bank_name=bank,
        )
    ]
    types = lookups.allowance_types
    teacher = staff.rank is not None and staff.rank.code.startswith("V.07.")
    if teacher and "TNN" in types:
        rows.append(
            AllowanceAssignment(
                staff=staff,
                allowance_type=types["TNN"],
                since=recruited,
                valid_from=max(recruited, TEACHER_SENIORITY_FROM, types["TNN"].valid_from),
                decision=f"{rng.randint(10, 999)}/QĐ-{max(recruited.year, 2011)}",
            )
        )
    duty = None
    if staff.position_title == "Kế toán viên":
        duty = ("0.2", "Kế toán")
    elif teacher and rng.random() < 0.08:
        duty = rng.choice([("0.2", "Tổ trưởng chuyên môn"), ("0.1", "Thư ký hội đồng")])
    elif staff.rank is not None and rng.random() < 0.03:
        duty = ("0.1", "Thủ quỹ")
    if duty and "TRACHNHIEM" in types:
        start = max(recruited, datetime.date(REFERENCE_DATE.year - rng.randint(0, 4), 9, 1))
        rows.append(
            AllowanceAssignment(
                staff=staff,
                allowance_type=types["TRACHNHIEM"],
                value=Decimal(duty[0]),
                valid_from=start,
                decision=f"{rng.randint(10, 999)}/QĐ-{start.year}",
                note=duty[1],
            )
        )
    rows += _dependants(rng, person, recruited=recruited, taken_ids=taken_ids)
    return rows


def _dependants(rng, person, *, recruited, taken_ids) -> list:
    staff = person.staff
    family = [
        row for row in person.rows
        if isinstance(row, FamilyMember) and row.side == FamilyMember.Side.OWN
    ]  # fmt: skip
    first = _month_start(recruited)
    children = [
        row for row in family
        if row.relation == FamilyMember.Relation.CHILD
        and row.birth_year and row.birth_year > REFERENCE_DATE.year - 18
    ]  # fmt: skip
    chosen = children
    if not children and rng.random() < PARENT_DEPENDANT_SHARE:
        chosen = [
            row for row in family
            if row.relation in (FamilyMember.Relation.FATHER, FamilyMember.Relation.MOTHER)
        ][:1]  # fmt: skip
    dependants = []
    for row in chosen:
        child = row.relation == FamilyMember.Relation.CHILD
        born = datetime.date(row.birth_year, rng.randint(1, 12), rng.randint(1, 28))
        sex = (
            Staff.Sex.MALE
            if row.relation == FamilyMember.Relation.FATHER
            else rng.choice([Staff.Sex.MALE, Staff.Sex.FEMALE])
        )
        start = max(first, _month_start(born)) if child else max(first, datetime.date(2020, 1, 1))
        dependants.append(
            Dependant(
                staff=staff,
                full_name=row.full_name,
                relation=Dependant.Relation.CHILD if child else Dependant.Relation.PARENT,
                birth_date=born,
                tax_code=personal_id(rng, sex, born, taken_ids, staff.personal_id[:3]),
                from_month=start,
            )
        )
    return dependants
