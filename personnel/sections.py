"""The sections of the dossier, in the order of the official form (Mẫu 2C-BNV/2008).

Each section is either a group of the record's own fields or one of its repeating tables. The
staff page, the edit screens and the history all read this list, so a field is placed once.
Sensitive items (Luật 91/2025/QH15; docs/rules.md §10.1) are listed in ``SENSITIVE_FIELDS`` and the
``sensitive`` sections; they are shown only to users allowed to reveal them.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from personnel.models import (
    AnnualRating,
    Award,
    Certificate,
    Discipline,
    FamilyMember,
    NonCountingPeriod,
    Training,
    WorkHistory,
)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: str  # item numbers on the form
    fields: tuple[str, ...] = ()  # the record's own fields (scalar sections)
    model: type[models.Model] | None = None  # a repeating table
    row_fields: tuple[str, ...] = ()
    sensitive: bool = False  # the whole section is sensitive
    editable: bool = True

    @property
    def is_table(self) -> bool:
        return self.model is not None


SENSITIVE_FIELDS = frozenset(
    {
        "ethnicity",
        "religion",
        "party_admission_date",
        "party_official_date",
        "health_status",
        "height_cm",
        "weight_kg",
        "blood_type",
        "war_invalid_grade",
        "policy_family",
        "history_detention",
        "history_foreign_orgs",
        "history_relatives_abroad",
    }
)

SECTIONS = (
    Section(
        "identity", _("Identity"), "1–7",
        fields=("full_name", "other_names", "birth_date", "sex", "birth_commune", "birth_district",
                "birth_province", "home_commune", "home_district", "home_province", "ethnicity",
                "religion"),
    ),
    Section(
        "identifiers", _("Identity papers and numbers"), "25–26",
        fields=("personal_id", "personal_id_issued_on", "personal_id_issued_by", "old_id_number",
                "tax_code", "social_insurance_number"),
    ),
    Section(
        "residence", _("Residence and contact"), "8–9",
        fields=("permanent_residence", "current_residence", "phone"),
    ),
    Section(
        "employment", _("Recruitment and position"), "10–14",
        fields=("staff_number", "category", "occupation_when_recruited", "recruitment_date",
                "recruiting_agency", "position_title", "position_since", "concurrent_positions",
                "main_duties"),
    ),
    Section(
        "education", _("Education and qualifications"), "15",
        fields=("general_education", "qualification", "qualification_field", "political_theory",
                "state_management", "foreign_languages", "it_skills"),
    ),
    Section(
        "party", _("Party and organisations"), "16–17",
        fields=("party_admission_date", "party_official_date", "organisations"),
    ),
    Section(
        "military", _("Military service, honours and strengths"), "18–20",
        fields=("military_enlisted", "military_discharged", "military_rank", "honorary_title",
                "strengths"),
    ),
    Section(
        "health", _("Health and policy status"), "23–24",
        fields=("health_status", "height_cm", "weight_kg", "blood_type", "war_invalid_grade",
                "policy_family"),
        sensitive=True,
    ),
    Section(
        "training", _("Training"), "27", model=Training,
        row_fields=("school", "field", "start", "end", "mode", "degree"),
    ),
    Section(
        "work_history", _("Work history"), "28", model=WorkHistory,
        row_fields=("start", "end", "position", "unit_name"),
    ),
    Section(
        "history_notes", _("Personal history notes"), "29",
        fields=("history_detention", "history_foreign_orgs", "history_relatives_abroad"),
        sensitive=True,
    ),
    Section(
        "family", _("Family (own side and spouse's side)"), "30",
        model=FamilyMember,
        row_fields=("side", "relation", "full_name", "birth_year", "details", "memberships"),
    ),
    Section(
        "awards", _("Awards"), "21", model=Award,
        row_fields=("year", "form", "decision", "issuer"),
    ),
    Section(
        "disciplines", _("Disciplines"), "22", model=Discipline,
        row_fields=("date", "kind", "decision", "reason", "issuer"),
        sensitive=True,
    ),
    Section(
        "ratings", _("Annual ratings"), "—", model=AnnualRating,
        row_fields=("year", "level", "note"),
    ),
    Section(
        "non_counting", _("Periods not counted for salary raises"), "—", model=NonCountingPeriod,
        row_fields=("kind", "start", "end", "decision", "note"),
        sensitive=True,  # suspension and detention: criminal data (docs/rules.md §10.1)
    ),
    Section(
        "certificates", _("Language and IT certificates"), "15.5–15.6", model=Certificate,
        row_fields=("kind", "name", "level", "issued_on", "issuer"),
    ),
    Section(
        "assessment", _("Assessment by the managing agency"), "32", fields=("assessment",),
    ),
)  # fmt: skip

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def visible_fields(section: Section, *, sensitive_allowed: bool) -> tuple[str, ...]:
    """The section's fields a user may see or edit."""
    if section.sensitive and not sensitive_allowed:
        return ()
    if sensitive_allowed:
        return section.fields
    return tuple(name for name in section.fields if name not in SENSITIVE_FIELDS)
