"""A demo province: departments, historic districts and communes, the 2025 reform, schools, clinics.

The province is fictional ("Tỉnh Hòa An", code 99) but shaped like a real one: provincial
departments with their offices, sub-departments and public-service units; districts and communes
that existed until 30 June 2025; the new communes formed on 1 July 2025 by merging old ones
(Luật 72/2025/QH15, NQ 202/2025/QH15), with schools moved under them and district health centres
becoming regional centres under the Department of Health. Every change goes through the
services, so the lineage is recorded as a clerk would see it.
"""

import datetime
import random
from dataclasses import dataclass, field

from demo.names import PLACE_FIRST, PLACE_SECOND
from personnel import services
from personnel.models import OrgUnit

PROVINCE_CODE = "HOAAN"
PROVINCE_ESTABLISHED = datetime.date(1997, 1, 1)
REFORM_DATE = datetime.date(2025, 7, 1)
AGRICULTURE_MERGER_DATE = datetime.date(2025, 3, 1)
DEMO_BASIS = "(dữ liệu mẫu)"
REFORM_BASIS = f"NQ sắp xếp đơn vị hành chính cấp xã năm 2025 {DEMO_BASIS}"

Kind = OrgUnit.Kind
Level = OrgUnit.Level

# (code, name, short name, offices, children as (suffix, name, kind, staff weight))
DEPARTMENTS = [
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh",
     ["Phòng Tổng hợp", "Phòng Kinh tế", "Phòng Khoa giáo - Văn xã", "Phòng Hành chính - Tổ chức"],
     [("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", Kind.PUBLIC_SERVICE_UNIT, 4)]),
    ("SNV", "Sở Nội vụ", "SNV",
     ["Văn phòng Sở", "Phòng Tổ chức, biên chế", "Phòng Công chức, viên chức",
      "Phòng Xây dựng chính quyền", "Phòng Lao động, việc làm"],
     [("CCVT", "Chi cục Văn thư - Lưu trữ", Kind.AGENCY, 3)]),
    ("STC", "Sở Tài chính", "STC",
     ["Văn phòng Sở", "Phòng Quản lý ngân sách", "Phòng Quản lý giá, công sản", "Phòng Đầu tư"],
     []),
    ("STP", "Sở Tư pháp", "STP",
     ["Văn phòng Sở", "Phòng Xây dựng và kiểm tra văn bản", "Phòng Hành chính tư pháp"],
     [("TTTGPL", "Trung tâm Trợ giúp pháp lý nhà nước", Kind.PUBLIC_SERVICE_UNIT, 3)]),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT",
     ["Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Giáo dục Trung học",
      "Phòng Giáo dục Mầm non - Tiểu học", "Phòng Khảo thí và Kiểm định chất lượng"],
     [("THPTCHUYEN", "Trường THPT Chuyên Hòa An", Kind.PUBLIC_SERVICE_UNIT, 70),
      ("PTDTNT", "Trường Phổ thông Dân tộc nội trú tỉnh", Kind.PUBLIC_SERVICE_UNIT, 50),
      ("TTGDTX", "Trung tâm Giáo dục thường xuyên tỉnh", Kind.PUBLIC_SERVICE_UNIT, 30)]),
    ("SYT", "Sở Y tế", "SYT",
     ["Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược"],
     [("BVDK", "Bệnh viện Đa khoa tỉnh", Kind.PUBLIC_SERVICE_UNIT, 420),
      ("BVSN", "Bệnh viện Sản - Nhi tỉnh", Kind.PUBLIC_SERVICE_UNIT, 260),
      ("BVYHCT", "Bệnh viện Y học cổ truyền", Kind.PUBLIC_SERVICE_UNIT, 120),
      ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh", Kind.PUBLIC_SERVICE_UNIT, 80)]),
    ("SXD", "Sở Xây dựng", "SXD",
     ["Văn phòng Sở", "Phòng Quản lý xây dựng", "Phòng Quản lý giao thông"], []),
    ("SCT", "Sở Công Thương", "SCT",
     ["Văn phòng Sở", "Phòng Quản lý công nghiệp", "Phòng Quản lý thương mại"], []),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL",
     ["Văn phòng Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý thể dục thể thao"],
     [("BTT", "Bảo tàng tỉnh", Kind.PUBLIC_SERVICE_UNIT, 12),
      ("TVT", "Thư viện tỉnh", Kind.PUBLIC_SERVICE_UNIT, 10)]),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN",
     ["Văn phòng Sở", "Phòng Quản lý khoa học", "Phòng Chuyển đổi số"], []),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG",
     ["Văn phòng Sở", "Phòng Chính sách dân tộc", "Phòng Tôn giáo"], []),
    ("TTRA", "Thanh tra tỉnh", "Thanh tra tỉnh",
     ["Văn phòng", "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2"], []),
]  # fmt: skip

# Departments merged on 1 March 2025 into the Department of Agriculture and Environment.
AGRICULTURE_SOURCES = [
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính"],
    ),
    ("STNMT", "Sở Tài nguyên và Môi trường", ["Văn phòng Sở", "Phòng Quản lý đất đai"]),
]
AGRICULTURE = (
    "SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT",
    ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý đất đai", "Phòng Môi trường"],
    [("CCKL", "Chi cục Kiểm lâm", Kind.AGENCY, 40),
     ("CCTL", "Chi cục Thủy lợi", Kind.AGENCY, 15),
     ("CCCNTY", "Chi cục Chăn nuôi và Thú y", Kind.AGENCY, 20)],
)  # fmt: skip

DISTRICTS = [
    ("Thành phố Hòa An", "Thành phố"), ("Thị xã Bình Giang", "Thị xã"),
    ("Huyện An Phú", "Huyện"), ("Huyện Đông Hưng", "Huyện"), ("Huyện Kim Thành", "Huyện"),
    ("Huyện Lạc Sơn", "Huyện"), ("Huyện Tân Yên", "Huyện"),
]  # fmt: skip
DISTRICT_OFFICES = [
    "Văn phòng HĐND và UBND", "Phòng Nội vụ", "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo", "Phòng Y tế", "Phòng Tài nguyên và Môi trường",
]  # fmt: skip
COMMUNES_PER_DISTRICT = 12
MERGE_GROUP = 3  # old communes per new commune
NEW_COMMUNE_OFFICES = [
    ("VP", "Văn phòng HĐND và UBND", 10),
    ("KT", "Phòng Kinh tế", 7),
    ("VHXH", "Phòng Văn hóa - Xã hội", 7),
]
# Schools each old commune had (moved under the new commune on 1 July 2025) and their weights.
COMMUNE_SCHOOLS = [
    ("MN", "Trường Mầm non", 25),
    ("TH", "Trường Tiểu học", 35),
    ("THCS", "Trường THCS", 35),
]

# Staff weights (relative headcount) of units without an explicit weight, by role in the tree.
WEIGHT_DEPARTMENT = 5
WEIGHT_OFFICE = 7
WEIGHT_UPPER_SECONDARY = 65
WEIGHT_DISTRICT_HEALTH = 140
WEIGHT_HEALTH_STATION = 6
WEIGHT_COMMUNE = 6
WEIGHT_COMMUNE_SERVICE = 5


def _area_name(district_name: str) -> str:
    """ "Huyện An Phú" → "An Phú"; "Thành phố Hòa An" → "Hòa An"."""
    for prefix in ("Thành phố ", "Thị xã ", "Huyện "):
        if district_name.startswith(prefix):
            return district_name[len(prefix) :]
    return district_name


@dataclass
class DemoProvince:
    """What the builder made: the root, current units with staff weights, and notable units."""

    root: OrgUnit
    weights: dict[int, int] = field(default_factory=dict)  # unit pk → relative headcount
    units: dict[str, OrgUnit] = field(default_factory=dict)  # code → unit


class ProvinceBuilder:
    """Builds the demo province through the org-unit services (deterministic for a seed)."""

    def __init__(self, *, rng: random.Random, actor=None):
        self.rng = rng
        self.actor = actor
        self._agency_seq: dict[str, int] = {}
        self._place_names = self._place_name_pool()

    def _place_name_pool(self) -> list[str]:
        pool = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
        self.rng.shuffle(pool)
        return pool

    def _next_place(self) -> str:
        return self._place_names.pop()

    def _agency_code(self, parent: OrgUnit | None) -> str:
        """Electronic identifier, lowest level first: XXX.YY.ZZ.H99 (QĐ 20/2020).

        A unit takes the next number in the first group its parent leaves at zero; units
        deeper than the scheme's four levels get none.
        """
        if parent is None:
            return "000.00.00.H99"
        if not parent.agency_code:
            return ""
        groups = parent.agency_code.split(".")
        for index in (2, 1, 0):
            if set(groups[index]) == {"0"}:
                number = self._agency_seq.get(parent.agency_code, 0) + 1
                self._agency_seq[parent.agency_code] = number
                groups[index] = f"{number:0{len(groups[index])}d}"
                return ".".join(groups)
        return ""

    def _add(
        self,
        parent,
        *,
        code,
        name,
        level,
        kind,
        valid_from,
        short_name="",
        admin_code="",
        basis=DEMO_BASIS,
        keeps_payroll=None,
    ) -> OrgUnit:
        """Offices are on their parent's payroll, other units keep their own unless told."""
        extra = {} if keeps_payroll is None else {"keeps_payroll": keeps_payroll}
        return services.unit_establish(
            parent=parent,
            effective_date=valid_from,
            legal_basis=basis,
            actor=self.actor,
            code=code,
            name=name,
            short_name=short_name,
            level=level,
            kind=kind,
            admin_code=admin_code,
            agency_code=self._agency_code(parent),
            **extra,
        )

    def build(self) -> DemoProvince:
        root = self._add(
            None,
            code=PROVINCE_CODE,
            name="Tỉnh Hòa An",
            short_name="Hòa An",
            level=Level.PROVINCE,
            kind=Kind.PEOPLES_COMMITTEE,
            valid_from=PROVINCE_ESTABLISHED,
            admin_code="99",
        )
        demo = DemoProvince(root=root, units={PROVINCE_CODE: root})
        demo.weights[root.pk] = 6
        for spec in DEPARTMENTS:
            self._department(demo, root, spec, PROVINCE_ESTABLISHED)
        self._agriculture_merger(demo, root)
        health = demo.units["SYT"]
        education = demo.units["SGDDT"]
        districts = [
            self._district(demo, root, index, name) for index, (name, _) in enumerate(DISTRICTS)
        ]
        for index, district in enumerate(districts):
            school = self._add(
                education,
                code=f"THPT{index + 1:02d}",
                name=f"Trường THPT {_area_name(district.name)}",
                level=Level.PROVINCE,
                kind=Kind.PUBLIC_SERVICE_UNIT,
                valid_from=PROVINCE_ESTABLISHED,
            )
            demo.weights[school.pk] = WEIGHT_UPPER_SECONDARY
            self._reform_district(demo, root, health, district, index)
        return demo

    def _department(self, demo, parent, spec, valid_from):
        code, name, short_name, offices, children = spec
        dept = self._add(
            parent,
            code=code,
            name=name,
            short_name=short_name,
            level=Level.PROVINCE,
            kind=Kind.DEPARTMENT,
            valid_from=valid_from,
        )
        demo.units[code] = dept
        demo.weights[dept.pk] = WEIGHT_DEPARTMENT
        for number, office in enumerate(offices, start=1):
            unit = self._add(
                dept,
                code=f"{code}-P{number:02d}",
                name=office,
                level=Level.PROVINCE,
                kind=Kind.OFFICE,
                valid_from=valid_from,
            )
            demo.units[unit.code] = unit
            demo.weights[unit.pk] = WEIGHT_OFFICE
        for suffix, child_name, kind, weight in children:
            unit = self._add(
                dept,
                code=f"{code}-{suffix}",
                name=child_name,
                level=Level.PROVINCE,
                kind=kind,
                valid_from=valid_from,
            )
            demo.units[unit.code] = unit
            demo.weights[unit.pk] = weight
        return dept

    def _agriculture_merger(self, demo, root):
        sources = []
        for code, name, offices in AGRICULTURE_SOURCES:
            dept = self._add(
                root,
                code=code,
                name=name,
                level=Level.PROVINCE,
                kind=Kind.DEPARTMENT,
                valid_from=PROVINCE_ESTABLISHED,
            )
            for number, office in enumerate(offices, start=1):
                self._add(
                    dept,
                    code=f"{code}-P{number:02d}",
                    name=office,
                    level=Level.PROVINCE,
                    kind=Kind.OFFICE,
                    valid_from=PROVINCE_ESTABLISHED,
                )
            sources.append(dept)
        merged = self._department(demo, root, AGRICULTURE, AGRICULTURE_MERGER_DATE)
        services.units_merge(
            sources=sources,
            result=merged,
            effective_date=AGRICULTURE_MERGER_DATE,
            legal_basis=f"NQ của HĐND tỉnh về thành lập Sở Nông nghiệp và Môi trường {DEMO_BASIS}",
            actor=self.actor,
        )
        # The merger ends the departments' offices with them (docs/rules.md §9.5).

    def _district(self, demo, root, index, name) -> OrgUnit:
        admin_code = f"{990 + index}"
        district = self._add(
            root,
            code=f"H{admin_code}",
            name=name,
            level=Level.DISTRICT,
            kind=Kind.PEOPLES_COMMITTEE,
            valid_from=PROVINCE_ESTABLISHED,
            admin_code=admin_code,
        )
        for number, office in enumerate(DISTRICT_OFFICES, start=1):
            self._add(
                district,
                code=f"H{admin_code}-P{number:02d}",
                name=office,
                level=Level.DISTRICT,
                kind=Kind.OFFICE,
                valid_from=PROVINCE_ESTABLISHED,
            )
        health = self._add(
            district,
            code=f"H{admin_code}-TTYT",
            name=f"Trung tâm Y tế {name.lower()[0]}{name[1:]}",
            level=Level.DISTRICT,
            kind=Kind.PUBLIC_SERVICE_UNIT,
            valid_from=PROVINCE_ESTABLISHED,
        )
        for number in range(COMMUNES_PER_DISTRICT):
            place = self._next_place()
            commune_code = f"{index * 100 + number + 1 + 99000:05d}"
            prefix = "Phường" if index < 2 else "Xã"
            self._add(
                district,
                code=f"X{commune_code}",
                name=f"{prefix} {place}",
                level=Level.COMMUNE,
                kind=Kind.PEOPLES_COMMITTEE,
                valid_from=PROVINCE_ESTABLISHED,
                admin_code=commune_code,
            )
            self._add(
                health,
                code=f"X{commune_code}-TYT",
                keeps_payroll=False,  # commune health stations are paid by the health centre
                name=f"Trạm Y tế {prefix.lower()} {place}",
                level=Level.COMMUNE,
                kind=Kind.PUBLIC_SERVICE_UNIT,
                valid_from=PROVINCE_ESTABLISHED,
            )
            for suffix, school_name, _weight in COMMUNE_SCHOOLS:
                self._add(
                    district,
                    code=f"X{commune_code}-{suffix}",
                    name=f"{school_name} {place}",
                    level=Level.COMMUNE,
                    kind=Kind.PUBLIC_SERVICE_UNIT,
                    valid_from=PROVINCE_ESTABLISHED,
                )
        return district

    def _reform_district(self, demo, root, health_dept, district, index):
        """1 July 2025: old communes merge, schools move, the district ends, its health centre
        becomes a regional centre of the Department of Health."""
        district.refresh_from_db()
        old_communes = list(
            OrgUnit.objects.filter(
                path__startswith=district.path,
                depth=district.depth + 1,
                level=Level.COMMUNE,
                kind=Kind.PEOPLES_COMMITTEE,
            ).order_by("path")
        )
        health = OrgUnit.objects.get(code=f"{district.code}-TTYT")
        for station in OrgUnit.objects.filter(path__startswith=health.path, depth=health.depth + 1):
            demo.weights[station.pk] = WEIGHT_HEALTH_STATION
        prefix = "Phường" if index < 2 else "Xã"
        for group_start in range(0, len(old_communes), MERGE_GROUP):
            group = old_communes[group_start : group_start + MERGE_GROUP]
            admin_code = group[0].admin_code
            place = group[0].name.split(" ", 1)[1]
            new = self._add(
                root,
                code=f"N{admin_code}",
                name=f"{prefix} {place}",
                level=Level.COMMUNE,
                kind=Kind.PEOPLES_COMMITTEE,
                valid_from=REFORM_DATE,
                admin_code=admin_code,
                basis=REFORM_BASIS,
            )
            demo.units[new.code] = new
            demo.weights[new.pk] = WEIGHT_COMMUNE
            for suffix, office, weight in NEW_COMMUNE_OFFICES:
                unit = self._add(
                    new,
                    code=f"{new.code}-{suffix}",
                    name=office,
                    level=Level.COMMUNE,
                    kind=Kind.OFFICE,
                    valid_from=REFORM_DATE,
                    basis=REFORM_BASIS,
                )
                demo.weights[unit.pk] = weight
            service = self._add(
                new,
                code=f"{new.code}-PVHCC",
                name="Trung tâm Phục vụ hành chính công",
                level=Level.COMMUNE,
                kind=Kind.PUBLIC_SERVICE_UNIT,
                valid_from=REFORM_DATE,
                basis=REFORM_BASIS,
            )
            demo.weights[service.pk] = WEIGHT_COMMUNE_SERVICE
            for old in group:
                for suffix, _name, weight in COMMUNE_SCHOOLS:
                    school = OrgUnit.objects.get(code=f"{old.code}-{suffix}")
                    school = services.unit_move(
                        unit=school,
                        new_parent=new,
                        effective_date=REFORM_DATE,
                        legal_basis=REFORM_BASIS,
                        actor=self.actor,
                    )
                    demo.weights[school.pk] = weight
            services.units_merge(
                sources=group,
                result=new,
                effective_date=REFORM_DATE,
                legal_basis=REFORM_BASIS,
                actor=self.actor,
            )
        health = services.unit_move(
            unit=health,
            new_parent=health_dept,
            effective_date=REFORM_DATE,
            legal_basis=REFORM_BASIS,
            actor=self.actor,
        )
        area = _area_name(district.name)
        health = services.unit_rename(
            unit=health,
            new_name=f"Trung tâm Y tế khu vực {area}",
            effective_date=REFORM_DATE,
            legal_basis=REFORM_BASIS,
            actor=self.actor,
        )
        demo.weights[health.pk] = WEIGHT_DISTRICT_HEALTH
        district.refresh_from_db()
        services.unit_dissolve(
            unit=district, effective_date=REFORM_DATE, legal_basis=REFORM_BASIS, actor=self.actor
        )
