"""Writes to salary history: drafts, approvals, rejections.

Nothing changes a salary without approval: a clerk prepares a draft (by hand or from a due
list), an authorised user approves it, and only then does it join the salary history. Every
write runs in one transaction, locks what it changes, and is recorded by the history triggers
with the actor and the reason.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from payroll.models import SalaryRecord
from payroll.rules.progression import add_months
from payroll.selectors import approved, group_scales, rank_group_on
from payroll.selectors.due_lists import DueRow
from personnel.models import Notification, OrgUnit, Rank, Staff
from personnel.permissions import Act, four_eyes_refusal
from personnel.services import notify_approvers

KIND_OF_LIST = {
    "regular": SalaryRecord.Kind.REGULAR_RAISE,
    "beyond": SalaryRecord.Kind.BEYOND_SCALE,
    "early": SalaryRecord.Kind.EARLY_RAISE,
}


_READ = object()


def validate_salary_values(
    *, staff: Staff, values: dict, latest=_READ, scales=None, group_id: int | None = None
) -> dict:
    """Check a decision's values against the scales and the record; fill in the coefficient
    and the counting dates.

    ``latest`` (the person's latest approved decision, or None), ``scales`` (``group_scales()``)
    and ``group_id`` (the rank's group on the effective date) are read here unless given: a
    caller checking many decisions at once (the import) reads them in bulk.

    Raises ValidationError keyed by field. Rules: the step exists in the group the rank was
    placed in on the effective date (docs/rules.md §2.4), the coefficient follows from rank and
    step (NĐ 204/2004), beyond-scale seniority only on the last step, and dates in order (after
    the latest approved decision, not before the step it counts from, decision not in the
    future). A decision that keeps rank and step keeps the previous step's counting date, and
    one that keeps the beyond-scale percentage keeps the date it was granted, unless the clerk
    enters another (docs/rules.md §4.1, §4.4).
    """
    errors = {}
    rank: Rank = values["rank"]
    effective = values["effective_date"]
    scales = scales if scales is not None else group_scales()
    scale = scales[group_id if group_id is not None else rank_group_on(rank, effective)]
    if latest is _READ:
        latest = approved(staff.salary_records.all()).order_by("-effective_date", "-id").first()
    step = values.get("step")
    if step is None and values.get("kind") == SalaryRecord.Kind.PROMOTION:
        values = {**values, **_promotion_placement(latest, scale, scales, effective, values)}
        step = values["step"]
    if step is None:
        raise ValidationError({"step": _("Enter the step (for a promotion it can be worked out).")})
    coefficient = scale.coefficient(step)
    if coefficient is None:
        errors["step"] = _("The rank %(rank)s has steps 1 to %(last)s.") % {
            "rank": rank.code, "last": scale.last_step,
        }  # fmt: skip
    percent = values.get("beyond_scale_percent") or 0
    if percent and step != scale.last_step:
        errors["beyond_scale_percent"] = _(
            "Beyond-scale seniority is only paid on the last step (step %(last)s)."
        ) % {"last": scale.last_step}
    same_step = latest is not None and latest.rank_id == rank.pk and latest.step == step
    step_since = values.get("step_since") or (latest.step_since if same_step else effective)
    if step_since > effective:
        errors["step_since"] = _("This cannot be after the effective date.")
    percent_since = values.get("beyond_scale_since")
    if not percent:
        percent_since = None
    elif percent_since is None:
        kept = same_step and latest.beyond_scale_percent == percent
        percent_since = (latest.beyond_scale_since or latest.effective_date) if kept else effective
    if percent_since and percent_since > effective:
        errors["beyond_scale_since"] = _("This cannot be after the effective date.")
    decision_date = values.get("decision_date")
    if decision_date and decision_date > timezone.localdate():
        errors["decision_date"] = _("This date is in the future.")
    born = staff.date_of_birth
    if born and effective < add_months(born, 15 * 12):  # 29 February → 28 February
        errors["effective_date"] = _("This date is before the person could have worked.")
    if latest and effective <= latest.effective_date:
        errors["effective_date"] = _(
            "The latest approved decision takes effect on %(date)s; a new one must come after it."
        ) % {"date": latest.effective_date.strftime("%d/%m/%Y")}
    errors.update(_bound_errors(values))
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "coefficient": coefficient,
        "step_since": step_since,
        "beyond_scale_since": percent_since,
    }


def _bound_errors(values: dict) -> dict:
    """The decision's own field bounds, also held by the model and the database: dates from
    1900 (effective at most five years ahead, signed by today), coefficients not negative,
    beyond-scale seniority 0–100% (personnel.validators)."""
    errors = {}
    for name, value in values.items():
        if value is None or name not in _BOUNDED_FIELDS:
            continue
        try:
            field = SalaryRecord._meta.get_field(name)
            field.run_validators(field.to_python(value))
        except ValidationError as error:
            errors[name] = error.messages
    return errors


_BOUNDED_FIELDS = {
    "decision_date", "effective_date", "step_since", "beyond_scale_percent",
    "leadership_coefficient", "reserved_coefficient",
}  # fmt: skip


RESERVED_PLACES = Decimal("0.001")


def _promotion_placement(current, new_scale, scales, promoted_on: datetime.date, values) -> dict:
    """Step, counting date and reserved difference in the new rank (payroll.rules.progression,
    docs/rules.md §4.5): equal or next higher coefficient, beyond-scale percentage included;
    the difference kept as a reserved coefficient (to 0.001, half up) when even the last step
    is lower, unless the clerk entered one."""
    from payroll.rules.progression import promotion_placement

    if current is None:
        raise ValidationError(
            {"step": _("There is no approved salary to promote from; enter the step.")}
        )
    old_scale = scales[rank_group_on(current.rank, current.effective_date)]
    placement = promotion_placement(
        old_coefficient=current.coefficient,
        old_beyond_scale_percent=current.beyond_scale_percent,
        old_step_since=current.step_since,
        old_step_increment=old_scale.increment,
        new_coefficients=list(new_scale.coefficients),
        promoted_on=promoted_on,
    )
    placed = {"step": placement.step, "step_since": placement.since, "beyond_scale_percent": 0}
    if placement.reserved and not values.get("reserved_coefficient"):
        placed["reserved_coefficient"] = placement.reserved.quantize(
            RESERVED_PLACES, rounding=ROUND_HALF_UP
        )
    return placed


@transaction.atomic
def salary_draft_create(
    *, staff: Staff, values: dict, actor, reasons: dict | None = None, notify: bool = True
) -> SalaryRecord:
    """A draft decision for ``staff``; it changes nothing until approved. Whoever approves
    decisions for the person's unit is told (``notify``; a batch tells them once)."""
    refusal = four_eyes_refusal(actor=actor, act=Act.PREPARE, concerns=[staff.pk])
    if refusal:
        raise ValidationError(refusal, code="four_eyes")
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    checked = validate_salary_values(staff=staff, values=values)
    with audited(actor, _("Salary decision prepared")):
        record = SalaryRecord.objects.create(
            staff=staff, status=SalaryRecord.Status.DRAFT, created_by=actor, reasons=reasons or {},
            **checked,
        )  # fmt: skip
    if notify:
        _tell_approvers([staff], actor)
    return record


def _tell_approvers(people: list[Staff], actor) -> None:
    """One notification per approver of the people's units: drafts await them."""
    units = OrgUnit.objects.filter(pk__in={person.unit_id for person in people})
    notify_approvers(
        units=units,
        kind=Notification.Kind.DECISION_AWAITS,
        text=_("%(count)s salary decisions await your approval.") % {"count": len(people)},
        link=f"{reverse('payroll:decisions')}?status=draft",
        actor=actor,
    )


@transaction.atomic
def salary_drafts_from_due_list(
    *, rows: list[DueRow], actor, decision_date: datetime.date | None = None
) -> tuple[list[SalaryRecord], list[tuple[DueRow, str]]]:
    """Draft decisions for the chosen due-list rows, all or nothing per person; returns the
    drafts and the rows skipped with the reason (a draft already pending, a value refused)."""
    created, skipped = [], []
    pending = set(
        SalaryRecord.objects.filter(
            staff_id__in=[row.staff_id for row in rows], status=SalaryRecord.Status.DRAFT
        ).values_list("staff_id", flat=True)
    )
    ranks = Rank.objects.in_bulk({row.rank_id for row in rows if row.rank_id})
    for row in rows:
        if row.staff_id in pending:
            skipped.append((row, _("a draft is already waiting for approval")))
            continue
        kind = (
            SalaryRecord.Kind.RETIREMENT_EARLY_RAISE
            if row.outside_quota
            else KIND_OF_LIST[row.list]
        )
        effective = row.due_date
        if kind in (SalaryRecord.Kind.EARLY_RAISE, SalaryRecord.Kind.RETIREMENT_EARLY_RAISE):
            # Up to 12 months early: the earliest date the rule allows, which falls in the
            # year under consideration ([U] whether provinces use the decision date instead).
            effective = add_months(row.due_date, -12)
        values = {
            "kind": kind,
            "rank": ranks[row.rank_id],
            "step": row.proposed_step,
            "effective_date": effective,
            "step_since": effective if kind != SalaryRecord.Kind.BEYOND_SCALE else row.step_since,
            "beyond_scale_percent": row.proposed_percent,
            "decision_date": decision_date,
        }
        staff = Staff.objects.get(pk=row.staff_id)
        try:
            with transaction.atomic():
                created.append(
                    salary_draft_create(
                        staff=staff,
                        values=values,
                        actor=actor,
                        reasons=row.reasons(),
                        notify=False,
                    )
                )
        except ValidationError as error:
            skipped.append((row, "; ".join(error.messages)))
    if created:
        _tell_approvers([record.staff for record in created], actor)
    return created, skipped


@transaction.atomic
def salary_records_approve(
    *, records: list[SalaryRecord], actor, decision_number: str = ""
) -> list[SalaryRecord]:
    """Approve drafts: they join the salary history; the staff member's current rank follows
    when the decision is already in effect. All or nothing: nobody approves a draft they
    prepared or one about themselves (four eyes)."""
    locked = _lock_drafts(records, actor=actor, act=Act.APPROVE)
    now = timezone.now()
    today = timezone.localdate()
    with audited(actor, _("Salary decision approved")):
        for record in locked:
            staff = Staff.objects.select_for_update().get(pk=record.staff_id)
            latest = approved(staff.salary_records.all()).order_by("-effective_date").first()
            if latest and record.effective_date <= latest.effective_date:
                raise ValidationError(
                    _("%(name)s: a later decision (%(date)s) was approved in the meantime.")
                    % {"name": staff.full_name, "date": latest.effective_date.strftime("%d/%m/%Y")}
                )
            record.status = SalaryRecord.Status.APPROVED
            record.decided_by, record.decided_at = actor, now
            if decision_number and not record.decision_number:
                record.decision_number = decision_number
            record.decision_date = record.decision_date or today
            record.save(
                update_fields=[
                    "status",
                    "decided_by",
                    "decided_at",
                    "decision_number",
                    "decision_date",
                ]
            )
            if record.effective_date <= today and staff.rank_id != record.rank_id:
                staff.rank_id = record.rank_id
                staff.version += 1
                staff.save(update_fields=["rank", "version", "updated_at"])
    return locked


def _lock_drafts(records: list[SalaryRecord], *, actor, act: str) -> list[SalaryRecord]:
    """Lock the drafts an approver acts on; refuse them all, with every reason, if any is not
    a draft any more or may not be decided by ``actor`` (four eyes)."""
    locked = list(
        SalaryRecord.objects.select_for_update()
        .select_related("staff")
        .filter(pk__in=[r.pk for r in records])
        .order_by("pk")
    )
    errors = []
    for record in locked:
        name = record.staff.full_name
        if record.status != SalaryRecord.Status.DRAFT:
            errors.append(_("%(name)s: this decision is not a draft.") % {"name": name})
            continue
        refusal = four_eyes_refusal(
            actor=actor, act=act, concerns=[record.staff_id], prepared_by_id=record.created_by_id
        )
        if refusal:
            errors.append(f"{name}: {refusal}")
    if errors:
        raise ValidationError(errors, code="four_eyes")
    return locked


@transaction.atomic
def salary_records_reject(*, records: list[SalaryRecord], actor, reason: str) -> list[SalaryRecord]:
    """Reject drafts: they are kept, marked rejected, with the reason the preparer will read.
    A reason is required; nobody rejects a decision about themselves."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for rejecting: the clerk who prepared it will read it.")}
        )
    locked = _lock_drafts(records, actor=actor, act=Act.REJECT)
    now = timezone.now()
    with audited(actor, _("Salary decision rejected")):
        for record in locked:
            record.status = SalaryRecord.Status.REJECTED
            record.decided_by, record.decided_at = actor, now
            record.rejection_reason = reason[:255]
            record.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    return locked


def _lock_own_draft(record: SalaryRecord, *, actor) -> SalaryRecord:
    """Lock a draft its preparer changes; anyone else, or a decided one, is refused."""
    locked = SalaryRecord.objects.select_for_update().select_related("staff").get(pk=record.pk)
    if locked.status != SalaryRecord.Status.DRAFT:
        raise ValidationError(_("This decision is no longer a draft; it cannot be changed."))
    if locked.created_by_id != actor.pk:
        raise ValidationError(_("Only the person who prepared a draft may change or withdraw it."))
    return locked


@transaction.atomic
def salary_draft_update(*, record: SalaryRecord, values: dict, actor) -> SalaryRecord:
    """Its preparer corrects a draft before it is decided; checked like a new one."""
    locked = _lock_own_draft(record, actor=actor)
    staff = Staff.objects.select_for_update().get(pk=locked.staff_id)
    checked = validate_salary_values(staff=staff, values=values)
    with audited(actor, _("Salary decision draft corrected")):
        for name, value in checked.items():
            setattr(locked, name, value)
        locked.save()
    return locked


@transaction.atomic
def salary_draft_withdraw(*, record: SalaryRecord, actor) -> SalaryRecord:
    """Its preparer withdraws a draft: kept, marked withdrawn, out of the approvers' list."""
    locked = _lock_own_draft(record, actor=actor)
    with audited(actor, _("Salary decision draft withdrawn")):
        locked.status = SalaryRecord.Status.WITHDRAWN
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def staff_current_rank_refresh(*, on: datetime.date, actor=None) -> int:
    """Point every staff member's current rank at the approved decision in force on ``on``
    (run daily: decisions approved in advance take effect on their date). One statement;
    returns how many records changed."""
    in_force = (
        approved()
        .filter(staff_id=OuterRef("pk"), effective_date__lte=on)
        .order_by("-effective_date", "-id")
        .values("rank_id")[:1]
    )
    with audited(actor, _("Current rank refreshed")):
        return (
            Staff.objects.annotate(rank_in_force=Subquery(in_force))
            .filter(rank_in_force__isnull=False)
            .exclude(rank_id=F("rank_in_force"))
            .update(rank_id=Subquery(in_force), version=F("version") + 1)
        )
