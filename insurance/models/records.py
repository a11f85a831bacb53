"""Per person: the insurance record (health-insurance card, initial-care hospital, who holds the
insurance book), the absences a clerk records (maternity leave…) and the participation periods
rebuilt from the dossier (docs/rules.md §5.9–§5.10)."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from insurance.validators import validate_health_card, validate_hospital_code


class Reason(models.TextChoices):
    """Why a participation period starts or stops (``insurance.rules.participation.Reason``)."""

    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    UNPAID_LEAVE = "unpaid_leave", _("Leave without pay (14 working days or more in a month)")
    RETURN = "return", _("Return to work")
    MATERNITY = "maternity", _("Maternity leave")
    SICK_LEAVE = "sick_leave", _("Long sick leave")
    OTHER_ABSENCE = "other_absence", _("Other absence without contributions")
    RETIREMENT = "retirement", _("Retirement")
    RESIGNATION = "resignation", _("Resignation")
    DEATH = "death", _("Death")


class InsuranceProfile(models.Model):
    """A person's insurance record beside the dossier (the social-insurance number and the
    personal ID stay on ``personnel.Staff``)."""

    staff = models.OneToOneField(
        "personnel.Staff", models.PROTECT, related_name="insurance", verbose_name=_("staff")
    )
    health_card_number = models.CharField(
        _("health-insurance card number"), max_length=15, blank=True,
        validators=[validate_health_card],
    )  # fmt: skip
    hospital_name = models.CharField(_("initial-care hospital"), max_length=255, blank=True)
    hospital_code = models.CharField(
        _("initial-care hospital code"), max_length=5, blank=True,
        validators=[validate_hospital_code],
    )  # fmt: skip
    book_held_by_unit = models.BooleanField(
        _("the unit holds the insurance book"), default=False,
        help_text=_("Ticked when the social-insurance book is kept by the unit, not the person."),
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("insurance record")
        verbose_name_plural = _("insurance records")

    def __str__(self):
        return str(self.staff_id)


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["version", "updated_at"],
    model_name="InsuranceProfileEvent",
)(InsuranceProfile)


class Absence(models.Model):
    """A period without contributions that the dossier does not hold, recorded by a clerk:
    maternity leave, long sick leave paid by the insurance fund, another absence."""

    class Kind(models.TextChoices):
        MATERNITY = Reason.MATERNITY.value, Reason.MATERNITY.label
        SICK_LEAVE = Reason.SICK_LEAVE.value, Reason.SICK_LEAVE.label
        OTHER = Reason.OTHER_ABSENCE.value, Reason.OTHER_ABSENCE.label

    staff = models.ForeignKey(
        "personnel.Staff", models.PROTECT, related_name="insurance_absences",
        verbose_name=_("staff"),
    )  # fmt: skip
    kind = models.CharField(_("kind of absence"), max_length=16, choices=Kind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"), null=True, blank=True)
    decision = models.CharField(_("decision or certificate"), max_length=160, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("absence without contributions")
        verbose_name_plural = _("absences without contributions")
        ordering = ["staff", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="insurance_absence_range",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}"


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["updated_at"],
    model_name="AbsenceEvent",
)(Absence)


class ParticipationPeriod(models.Model):
    """A spell of contributing through one unit, rebuilt from the dossier and the recorded
    absences (``insurance.services.participation``); never edited by hand. ``first_month`` and
    ``last_month`` (year × 100 + month) are the months it covers; empty means without limit."""

    staff = models.ForeignKey(
        "personnel.Staff", models.PROTECT, related_name="insurance_periods",
        verbose_name=_("staff"),
    )  # fmt: skip
    unit = models.ForeignKey(
        "personnel.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    start = models.DateField(_("from"), null=True, blank=True)
    start_reason = models.CharField(_("reason for starting"), max_length=16, choices=Reason.choices)
    stop = models.DateField(_("until"), null=True, blank=True)
    stop_reason = models.CharField(
        _("reason for stopping"), max_length=16, choices=Reason.choices, blank=True
    )
    first_month = models.PositiveIntegerField(_("first month"), null=True, blank=True)
    last_month = models.PositiveIntegerField(_("last month"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation period")
        verbose_name_plural = _("participation periods")
        ordering = ["staff", F("start").asc(nulls_first=True), "id"]
        indexes = [
            models.Index(fields=["staff", "first_month"], name="insurance_period_staff"),
            models.Index(fields=["last_month", "first_month"], name="insurance_period_months"),
        ]

    def __str__(self):
        return f"{self.staff_id} {self.first_month}–{self.last_month}"

    @property
    def covers_any_month(self) -> bool:
        return (
            self.first_month is None
            or self.last_month is None
            or (self.first_month <= self.last_month)
        )


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.DeleteEvent(),
    model_name="ParticipationPeriodEvent",
)(ParticipationPeriod)


class PeriodsBuilt(models.Model):
    """When a person's participation periods were last rebuilt: a dossier or movement changed
    after it makes them stale. Bookkeeping, not history (no audit trail)."""

    staff = models.OneToOneField(
        "personnel.Staff", models.CASCADE, primary_key=True, related_name="+"
    )
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = _("participation periods built")
        verbose_name_plural = _("participation periods built")

    def __str__(self):
        return f"{self.staff_id} {self.built_at:%d/%m/%Y %H:%M}"
