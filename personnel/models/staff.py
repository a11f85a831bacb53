"""The staff record: one person, one record across the whole province.

Holds every scalar item of the personnel dossier (Sơ yếu lý lịch, Mẫu 2C-BNV/2008; for public
employees HS02-VC/BNV, same structure); the repeating tables live in ``dossier.py``. Item
numbers in comments refer to the form.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils.translation import gettext_lazy as _

from hrms.audit import RefuseTruncate
from hrms.lib.partial_dates import PartialDateField
from hrms.lib.vietnamese import translate_tables
from personnel.models.bounds import date_check, order_check
from personnel.models.org import OrgUnit
from personnel.models.reference import EthnicGroup, Religion
from personnel.validators import (
    PHONE_PATTERN,
    validate_not_in_future,
    validate_old_id_number,
    validate_personal_id,
    validate_phone,
    validate_planned,
    validate_social_insurance_number,
    validate_tax_code,
)

_LETTERS, _PRIMARY_CODES, _TONE_DIGITS = translate_tables()


def _letters_only(expression):
    return Func(
        expression, Value(f"[^{_LETTERS}]"), Value(""), Value("g"), function="regexp_replace"
    )


def _translate(expression, to: str):
    return Func(_letters_only(expression), Value(_LETTERS), Value(to), function="translate")


def sort_key_expression():
    """SQL twin of ``hrms.lib.vietnamese.collation_key`` for a generated column."""
    full = F("full_name")
    given = Func(
        Func(full, function="btrim"), Value(r"^.*\s"), Value(""), function="regexp_replace"
    )
    return Concat(
        _translate(given, _PRIMARY_CODES),
        Value(" "),
        _translate(full, _PRIMARY_CODES),
        Value(" "),
        _translate(given, _TONE_DIGITS),
        _translate(full, _TONE_DIGITS),
        output_field=models.CharField(),
    )


def search_text_expression():
    """Lower-case, accent-free name, other names, staff number and ID numbers, for one
    trigram-indexed LIKE search ("nguyen van an" finds "Nguyễn Văn An")."""
    parts = [
        F("full_name"),
        F("other_names"),
        F("staff_number"),
        Coalesce(F("personal_id"), Value("")),
        F("old_id_number"),
    ]
    joined = Concat(*sum(([part, Value(" ")] for part in parts), [])[:-1])
    return Lower(Func(joined, function="hrms_unaccent"), output_field=models.TextField())


def birth_date_expression():
    """The birth date as a date (unknown day or month count as the first) for age filters."""
    return Func(
        F("birth_date"), function="hrms_partial_date_start", output_field=models.DateField()
    )


class StaffQuerySet(models.QuerySet):
    def in_subtree(self, unit: OrgUnit) -> "StaffQuerySet":
        """Records of ``unit`` and every unit under it (filters on the indexed unit column)."""
        return self.filter(unit__in=OrgUnit.objects.under(unit.path).values("id"))


class Staff(models.Model):
    """A staff member (cán bộ, công chức, viên chức or contract worker) and their dossier."""

    class Category(models.TextChoices):
        CADRE = "cadre", _("Cadre (cán bộ)")
        CIVIL_SERVANT = "civil_servant", _("Civil servant (công chức)")
        PUBLIC_EMPLOYEE = "public_employee", _("Public employee (viên chức)")
        CONTRACT = "contract", _("Labour contract (HĐLĐ)")
        COMMUNE_CADRE = "commune_cadre", _("Commune cadre (before 1 July 2025)")
        COMMUNE_CIVIL_SERVANT = (
            "commune_civil_servant",
            _("Commune civil servant (before 1 July 2025)"),
        )

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working")
        LEAVE_WITHOUT_PAY = "unpaid_leave", _("Leave without pay")
        RETIRED = "retired", _("Retired")
        RESIGNED = "resigned", _("Resigned")
        DECEASED = "deceased", _("Deceased")

    class Qualification(models.TextChoices):
        NONE = "", _("—")
        VOCATIONAL = "vocational", _("Vocational certificate (sơ cấp)")
        INTERMEDIATE = "intermediate", _("Intermediate (trung cấp)")
        COLLEGE = "college", _("College (cao đẳng)")
        BACHELOR = "bachelor", _("University (đại học)")
        MASTER = "master", _("Master (thạc sĩ)")
        DOCTOR = "doctor", _("Doctor (tiến sĩ)")

    class PoliticalTheory(models.TextChoices):
        NONE = "", _("—")
        ELEMENTARY = "elementary", _("Elementary (sơ cấp)")
        INTERMEDIATE = "intermediate", _("Intermediate (trung cấp)")
        ADVANCED = "advanced", _("Advanced (cao cấp)")
        BACHELOR = "bachelor", _("Bachelor (cử nhân)")

    class StateManagement(models.TextChoices):
        NONE = "", _("—")
        OFFICER = "officer", _("Officer level (chuyên viên)")
        PRINCIPAL = "principal", _("Principal officer (chuyên viên chính)")
        SENIOR = "senior", _("Senior officer (chuyên viên cao cấp)")

    class BloodType(models.TextChoices):
        UNKNOWN = "", _("—")
        A = "A", "A"
        B = "B", "B"
        AB = "AB", "AB"
        O = "O", "O"  # noqa: E741 - the blood group

    # Header and employment
    staff_number = models.CharField(_("staff number"), max_length=20, unique=True)
    # Indexed by staff_unit_sort (unit, sort_key, id), which also serves plain unit lookups.
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="staff", verbose_name=_("unit"), db_index=False
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(
        _("status since"), null=True, blank=True, validators=[validate_planned]
    )
    rank = models.ForeignKey(
        "personnel.Rank",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current rank or professional title"),
    )
    photo = models.ImageField(_("photo (4×6)"), upload_to="photos/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login account"),
    )

    # 1–3 Names, birth, sex
    full_name = models.CharField(_("full name (at birth)"), max_length=120)
    other_names = models.CharField(_("other names"), max_length=120, blank=True)
    birth_date = PartialDateField(_("date of birth"), validators=[validate_not_in_future])
    date_of_birth = models.GeneratedField(
        expression=birth_date_expression(),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("date of birth (for calculations)"),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    # 4–5 Place of birth and hometown, as declared (historic names kept)
    birth_commune = models.CharField(_("place of birth: commune"), max_length=100, blank=True)
    birth_district = models.CharField(_("place of birth: district"), max_length=100, blank=True)
    birth_province = models.CharField(_("place of birth: province"), max_length=100, blank=True)
    home_commune = models.CharField(_("hometown: commune"), max_length=100, blank=True)
    home_district = models.CharField(_("hometown: district"), max_length=100, blank=True)
    home_province = models.CharField(_("hometown: province"), max_length=100, blank=True)
    # 6–7 Sensitive (Luật 91/2025/QH15)
    ethnicity = models.ForeignKey(
        EthnicGroup, models.PROTECT, null=True, blank=True, verbose_name=_("ethnicity")
    )
    religion = models.ForeignKey(
        Religion, models.PROTECT, null=True, blank=True, verbose_name=_("religion")
    )
    # 8–9 Residence
    permanent_residence = models.CharField(_("permanent residence"), max_length=255, blank=True)
    current_residence = models.CharField(_("current residence"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    # 10–13 Recruitment and position
    occupation_when_recruited = models.CharField(
        _("occupation when recruited"), max_length=160, blank=True
    )
    recruitment_date = models.DateField(
        _("recruitment date"), null=True, blank=True, validators=[validate_not_in_future]
    )
    recruiting_agency = models.CharField(_("recruiting agency"), max_length=255, blank=True)
    position_title = models.CharField(_("current position"), max_length=160, blank=True)
    position_since = models.DateField(
        _("appointed on"), null=True, blank=True, validators=[validate_planned]
    )
    concurrent_positions = models.CharField(_("concurrent positions"), max_length=255, blank=True)
    main_duties = models.TextField(_("main duties"), blank=True)
    # 15 Education and qualifications
    general_education = models.CharField(
        _("general education"), max_length=10, blank=True, help_text=_("e.g. 12/12")
    )
    qualification = models.CharField(
        _("highest professional qualification"),
        max_length=16,
        choices=Qualification.choices,
        blank=True,
    )
    qualification_field = models.CharField(_("field of study"), max_length=160, blank=True)
    political_theory = models.CharField(
        _("political theory"), max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    state_management = models.CharField(
        _("state management"), max_length=16, choices=StateManagement.choices, blank=True
    )
    foreign_languages = models.CharField(_("foreign languages"), max_length=255, blank=True)
    it_skills = models.CharField(_("information technology"), max_length=255, blank=True)
    # 16–17 Party (sensitive) and organisations
    party_admission_date = PartialDateField(
        _("Party admission date"), validators=[validate_not_in_future]
    )
    party_official_date = PartialDateField(
        _("Party official membership date"), validators=[validate_not_in_future]
    )
    organisations = models.CharField(
        _("socio-political organisations joined"), max_length=255, blank=True
    )
    # 18–20 Military service and honours
    military_enlisted = PartialDateField(
        _("military enlistment"), validators=[validate_not_in_future]
    )
    military_discharged = PartialDateField(
        _("military discharge"), validators=[validate_not_in_future]
    )
    military_rank = models.CharField(_("highest military rank"), max_length=80, blank=True)
    honorary_title = models.CharField(_("highest honorary title"), max_length=160, blank=True)
    strengths = models.CharField(_("strengths"), max_length=255, blank=True)
    # 23–24 Health and policy status (sensitive)
    health_status = models.CharField(_("health"), max_length=80, blank=True)
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(80), MaxValueValidator(230)],
    )
    weight_kg = models.PositiveSmallIntegerField(
        _("weight (kg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(25), MaxValueValidator(250)],
    )
    blood_type = models.CharField(
        _("blood type"), max_length=2, choices=BloodType.choices, blank=True
    )
    war_invalid_grade = models.CharField(_("war-invalid grade"), max_length=80, blank=True)
    policy_family = models.CharField(
        _("family of policy beneficiaries"), max_length=160, blank=True
    )
    # 25–26 Identifiers
    personal_id = models.CharField(
        _("personal ID number"),
        max_length=12,
        null=True,
        blank=True,
        validators=[validate_personal_id],
    )
    personal_id_issued_on = models.DateField(
        _("issued on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    personal_id_issued_by = models.CharField(_("issued by"), max_length=160, blank=True)
    old_id_number = models.CharField(
        _("old identity card number (9 digits)"),
        max_length=9,
        blank=True,
        validators=[validate_old_id_number],
    )
    tax_code = models.CharField(
        _("tax code"), max_length=12, blank=True, validators=[validate_tax_code]
    )
    social_insurance_number = models.CharField(
        _("social-insurance number"),
        max_length=10,
        blank=True,
        validators=[validate_social_insurance_number],
    )
    # 29 Personal history notes (sensitive free text)
    history_detention = models.TextField(
        _("arrests and detention (when, where, by whom)"), blank=True
    )
    history_foreign_orgs = models.TextField(
        _("work for foreign organisations or regimes"), blank=True
    )
    history_relatives_abroad = models.TextField(_("relatives abroad"), blank=True)
    # 32 Assessment by the managing agency
    assessment = models.TextField(_("assessment by the managing agency"), blank=True)

    # Bookkeeping
    version = models.PositiveIntegerField(default=1, editable=False)
    sort_key = models.GeneratedField(
        expression=sort_key_expression(),
        output_field=models.CharField(max_length=400, db_collation="C"),
        db_persist=True,
    )
    search_text = models.GeneratedField(
        expression=search_text_expression(),
        output_field=models.TextField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["sort_key", "id"]
        # Records are never deleted: they are end-dated through movements (retirement…).
        triggers = [
            pgtrigger.Protect(name="staff_never_deleted", operation=pgtrigger.Delete),
            RefuseTruncate(name="staff_never_truncated"),
        ]
        indexes = [
            models.Index(fields=["unit", "sort_key", "id"], name="staff_unit_sort"),
            models.Index(fields=["sort_key", "id"], name="staff_sort"),
            models.Index(fields=["date_of_birth"], name="staff_birth"),
            # The API's incremental sync reads records changed since a moment, in this order.
            models.Index(fields=["updated_at", "id"], name="staff_updated"),
            GinIndex(fields=["search_text"], name="staff_search_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=Q(personal_id__isnull=False),
                name="staff_personal_id_unique",
                violation_error_message=_("A record with this personal ID number already exists."),
            ),
            models.CheckConstraint(
                condition=Q(personal_id__isnull=True) | Q(personal_id__regex=r"^[0-9]{12}$"),
                name="staff_personal_id_12_digits",
            ),
            # The forms' bounds (personnel.validators), held by the database too.
            date_check("staff", "date_of_birth", _("date of birth")),
            date_check("staff", "personal_id_issued_on", _("issued on"), not_before_birth=True),
            date_check("staff", "recruitment_date", _("recruitment date"), not_before_birth=True),
            date_check(
                "staff", "position_since", _("appointed on"), planned=True, not_before_birth=True
            ),
            date_check(
                "staff", "status_since", _("status since"), planned=True, not_before_birth=True
            ),
            *[
                date_check("staff", name, label, partial=True, not_before_birth=True)
                for name, label in [
                    ("party_admission_date", _("Party admission date")),
                    ("party_official_date", _("Party official membership date")),
                    ("military_enlisted", _("military enlistment")),
                    ("military_discharged", _("military discharge")),
                ]
            ],
            order_check(
                "staff",
                "party_admission_date",
                "party_official_date",
                _("Party official membership date"),
                _("Party admission date"),
                partial=True,
            ),  # fmt: skip
            order_check(
                "staff",
                "military_enlisted",
                "military_discharged",
                _("military discharge"),
                _("military enlistment"),
                partial=True,
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=PHONE_PATTERN),
                name="staff_phone_format",
                violation_error_message=_(
                    "Phone: 8 to 15 digits, may start with + and may be grouped by spaces or dots."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.staff_number})"


# Derived and bookkeeping columns are not history.
STAFF_HISTORY_EXCLUDE = [
    "version", "sort_key", "search_text", "date_of_birth", "created_at", "updated_at",
]  # fmt: skip

pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    # A record loaded in bulk (an import, the seed) has no insert event: its state is taken
    # as a snapshot before its first change, so the history shows the real old values.
    pghistory.ManualEvent("snapshot"),
    exclude=STAFF_HISTORY_EXCLUDE,
    model_name="StaffEvent",
)(Staff)
