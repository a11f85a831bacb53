"""The staff record: one person, one record across the whole province."""

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from hrms.lib.vietnamese import translate_tables
from personnel.models.org import OrgUnit

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

    staff_number = models.CharField(_("staff number"), max_length=20, unique=True)
    full_name = models.CharField(_("full name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    personal_id = models.CharField(_("personal ID number"), max_length=12, null=True, blank=True)
    # Indexed by staff_unit_sort (unit, sort_key, id), which also serves plain unit lookups.
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="staff", verbose_name=_("unit"), db_index=False
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login account"),
    )
    sort_key = models.GeneratedField(
        expression=sort_key_expression(),
        output_field=models.CharField(max_length=400, db_collation="C"),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["sort_key", "id"]
        indexes = [
            models.Index(fields=["unit", "sort_key", "id"], name="staff_unit_sort"),
            models.Index(fields=["sort_key", "id"], name="staff_sort"),
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
        ]

    def __str__(self):
        return f"{self.full_name} ({self.staff_number})"
