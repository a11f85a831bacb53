"""The repeating tables of the dossier (Mẫu 2C-BNV/2008 items 27, 28, 30 and the annexes) and
the dated employment movements. Every table is tracked by database triggers (django-pghistory),
so each insert, change and removal shows in the record's history, whoever or whatever made it.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.lib.partial_dates import PartialDateField
from personnel.models.bounds import date_check, order_check, year_check
from personnel.models.org import OrgUnit
from personnel.models.reference import DisciplineType, RatingLevel, StaffGroup
from personnel.models.staff import Staff
from personnel.validators import (
    validate_not_in_future,
    validate_planned,
    validate_year_not_in_future,
)

_YEAR = [validate_year_not_in_future]


def _period_checks(model_name: str, *, planned_start: bool = False) -> list[models.CheckConstraint]:
    """A period started by today (or, ``planned_start``, at most five years ahead), ending at
    most five years ahead and not before it began."""
    return [
        date_check(model_name, "start", _("from"), partial=True, planned=planned_start),
        date_check(model_name, "end", _("to"), partial=True, planned=True),
        order_check(model_name, "start", "end", _("to"), _("from"), partial=True),
    ]


def _tracked(model_name: str):
    """History of every insert, update and delete of a child row (row snapshots)."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        pghistory.ManualEvent("snapshot"),  # a row loaded in bulk, before its first change
        model_name=model_name,
    )


class ChildRow(models.Model):
    """A row belonging to one staff record; ``row_order`` keeps the order the clerk chose."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="+")
    row_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["row_order", "id"]


@_tracked("TrainingEvent")
class Training(ChildRow):
    """27. Training: schools, fields, periods, modes and degrees."""

    class Mode(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time (chính quy)")
        IN_SERVICE = "in_service", _("In-service (tại chức / vừa làm vừa học)")
        DISTANCE = "distance", _("Distance (từ xa)")
        SHORT_COURSE = "short", _("Short course (bồi dưỡng)")
        OTHER = "other", _("Other")

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="trainings")
    school = models.CharField(_("school or institution"), max_length=255)
    field = models.CharField(_("field or course"), max_length=255, blank=True)
    start = PartialDateField(_("from"), validators=[validate_not_in_future])
    end = PartialDateField(_("to"), validators=[validate_planned])
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, blank=True)
    degree = models.CharField(_("degree or certificate"), max_length=160, blank=True)

    class Meta(ChildRow.Meta):
        verbose_name = _("training")
        verbose_name_plural = _("training")
        constraints = _period_checks("training")

    def __str__(self):
        return f"{self.school} {self.start or ''}–{self.end or ''}"


@_tracked("WorkHistoryEvent")
class WorkHistory(ChildRow):
    """28. Work history: periods, positions and units (unit name as it was at the time)."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="work_history")
    # A planned transfer opens the period in the new unit ahead of time.
    start = PartialDateField(_("from"), validators=[validate_planned])
    end = PartialDateField(_("to"), validators=[validate_planned])
    position = models.CharField(_("position or title"), max_length=255, blank=True)
    unit_name = models.CharField(_("unit"), max_length=255)
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit in the system"),
    )

    class Meta(ChildRow.Meta):
        verbose_name = _("work history")
        verbose_name_plural = _("work history")
        constraints = _period_checks("workhistory", planned_start=True)

    def __str__(self):
        return f"{self.start or ''}–{self.end or ''} {self.unit_name}"


@_tracked("FamilyMemberEvent")
class FamilyMember(ChildRow):
    """30a/30b. Family on one's own side and on the spouse's side."""

    class Side(models.TextChoices):
        OWN = "own", _("Own family")
        SPOUSE = "spouse", _("Spouse's family")

    class Relation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        SPOUSE = "spouse", _("Husband or wife")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other")

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="family")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices, default=Side.OWN)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=_YEAR
    )
    details = models.TextField(
        _("hometown, occupation, workplace, residence"),
        blank=True,
    )
    memberships = models.CharField(
        _("memberships (Party, organisations)"), max_length=255, blank=True
    )

    class Meta(ChildRow.Meta):
        verbose_name = _("family member")
        verbose_name_plural = _("family")
        ordering = ["side", "row_order", "id"]
        constraints = [year_check("familymember", "birth_year", _("year of birth"))]

    def __str__(self):
        return f"{self.get_relation_display()}: {self.full_name}"


@_tracked("AwardEvent")
class Award(ChildRow):
    """Awards and commendations (item 21 shows the latest)."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="awards")
    year = models.PositiveSmallIntegerField(_("year"), validators=_YEAR)
    form = models.CharField(_("form of award"), max_length=255)
    decision = models.CharField(_("decision number and date"), max_length=160, blank=True)
    issuer = models.CharField(_("awarded by"), max_length=255, blank=True)

    class Meta(ChildRow.Meta):
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "row_order", "id"]
        constraints = [year_check("award", "year", _("year"))]

    def __str__(self):
        return f"{self.year} {self.form}"


@_tracked("DisciplineEvent")
class Discipline(ChildRow):
    """Disciplines (item 22; restricted). The type carries the salary-raise delay."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="disciplines")
    date = models.DateField(_("decision date"), validators=[validate_not_in_future])
    kind = models.ForeignKey(DisciplineType, models.PROTECT, verbose_name=_("form of discipline"))
    decision = models.CharField(_("decision number"), max_length=160, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    issuer = models.CharField(_("decided by"), max_length=255, blank=True)

    class Meta(ChildRow.Meta):
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["-date", "id"]
        constraints = [date_check("discipline", "date", _("decision date"))]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.kind}"

    def clean(self):
        """The form of discipline must be one of the person's regime: a civil servant's
        reprimand delays a raise 6 months, a public employee's 3 (docs/rules.md §4.2)."""
        super().clean()
        if self.kind_id and self.staff_id:
            regime = StaffGroup.of_category(self.staff.category)
            if self.kind.applies_to != regime:
                raise ValidationError(
                    {
                        "kind": _(
                            "This form of discipline is for %(other)s; choose one for %(own)s."
                        )
                        % {
                            "other": StaffGroup(self.kind.applies_to).label.lower(),
                            "own": StaffGroup(regime).label.lower(),
                        }
                    }
                )


@_tracked("AnnualRatingEvent")
class AnnualRating(ChildRow):
    """The yearly quality rating (NĐ 90/2020/NĐ-CP)."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"), validators=_YEAR)
    level = models.ForeignKey(RatingLevel, models.PROTECT, verbose_name=_("rating"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta(ChildRow.Meta):
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "year"],
                name="rating_one_per_year",
                violation_error_message=_("There is already a rating for this year."),
            ),
            year_check("annualrating", "year", _("year")),
        ]

    def __str__(self):
        return f"{self.year}: {self.level}"

    def clean(self):
        """The level must be in force in the rating year and apply to the person's regime
        (levels were renamed for civil servants from 2026; docs/rules.md §4.2)."""
        super().clean()
        if not (self.level_id and self.year):
            return
        level = self.level
        if level.valid_from.year > self.year or (
            level.valid_to and level.valid_to.year < self.year
        ):
            raise ValidationError(
                {"level": _("This rating level is not in use for %(year)s.") % {"year": self.year}}
            )
        regime = StaffGroup.of_category(self.staff.category) if self.staff_id else None
        if level.applies_to and regime and level.applies_to != regime:
            raise ValidationError(
                {"level": _("This rating level is for %(other)s.")
                 % {"other": StaffGroup(level.applies_to).label.lower()}}
            )  # fmt: skip


@_tracked("NonCountingPeriodEvent")
class NonCountingPeriod(ChildRow):
    """A period that does not count toward the salary-raise interval: suspension from work or
    detention (unpaid leave comes from the movements). The raise is postponed by the length of
    the period (TT 08/2013/TT-BNV amended by TT 03/2021/TT-BNV; docs/rules.md §4.3)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Suspension from work (tạm đình chỉ công tác)")
        DETENTION = "detention", _("Detention or custody (tạm giữ, tạm giam)")
        OTHER = "other", _("Other period not counted")

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="non_counting_periods")
    kind = models.CharField(_("kind of period"), max_length=16, choices=Kind.choices)
    start = models.DateField(_("from"), validators=[validate_not_in_future])
    end = models.DateField(
        _("to (inclusive)"),
        null=True,
        blank=True,
        validators=[validate_planned],
        help_text=_("Empty while it lasts."),
    )
    decision = models.CharField(_("decision number and date"), max_length=160, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta(ChildRow.Meta):
        verbose_name = _("period not counted for salary raises")
        verbose_name_plural = _("periods not counted for salary raises")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="non_counting_period_range",
                violation_error_message=_("The end comes before the start."),
            ),
            date_check("non_counting", "start", _("from")),
            date_check("non_counting", "end", _("to (inclusive)"), planned=True),
        ]

    def __str__(self):
        end = f"{self.end:%d/%m/%Y}" if self.end else "…"
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}–{end}"


@_tracked("CertificateEvent")
class Certificate(ChildRow):
    """Foreign-language and IT certificates."""

    class Kind(models.TextChoices):
        LANGUAGE = "language", _("Foreign language")
        IT = "it", _("Information technology")

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("language or subject"), max_length=120)
    level = models.CharField(_("level"), max_length=80, blank=True)
    issued_on = PartialDateField(_("issued on"), validators=[validate_not_in_future])
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)

    class Meta(ChildRow.Meta):
        verbose_name = _("certificate")
        verbose_name_plural = _("language and IT certificates")
        constraints = [date_check("certificate", "issued_on", _("issued on"), partial=True)]

    def __str__(self):
        return f"{self.name} {self.level}"


class Movement(models.Model):
    """A dated change of employment: transfer, unpaid leave and return, retirement,
    resignation, death. Movements never delete anything; they are kept for the record."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer to another unit")
        UNPAID_LEAVE = "unpaid_leave", _("Leave without pay")
        RETURN = "return", _("Return to work")
        RETIREMENT = "retirement", _("Retirement")
        RESIGNATION = "resignation", _("Resignation")
        DEATH = "death", _("Death")

    staff = models.ForeignKey(Staff, models.PROTECT, related_name="movements")
    kind = models.CharField(_("movement"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"), validators=[validate_planned])
    decision = models.CharField(_("decision number and date"), max_length=160, blank=True)
    from_unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from unit"),
    )
    to_unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to unit")
    )
    position = models.CharField(_("new position"), max_length=160, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-effective_date", "-id"]
        constraints = [date_check("movement", "effective_date", _("effective date"), planned=True)]
        triggers = [
            # Across tables, so a trigger rather than a check: nothing happens before birth.
            pgtrigger.Trigger(
                name="movement_not_before_birth",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func="""
                IF NEW.effective_date < (
                    SELECT date_of_birth FROM personnel_staff WHERE id = NEW.staff_id
                ) THEN
                    RAISE EXCEPTION 'movement before the date of birth'
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'movement_not_before_birth';
                END IF;
                RETURN NEW;
                """,
            )
        ]

    def __str__(self):
        return f"{self.effective_date:%d/%m/%Y} {self.get_kind_display()}"


pghistory.track(pghistory.InsertEvent(), model_name="MovementEvent")(Movement)
