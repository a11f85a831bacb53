"""Shared abstract models."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Confidence(models.TextChoices):
    """How sure we are of a legal parameter (the tags [V], [S] and [U] of docs/rules.md)."""

    VERIFIED = "V", _("Checked against the legal text")
    SECONDARY = "S", _("Seen in secondary sources only")
    UNCONFIRMED = "U", _("Believed, not confirmed")


class EffectiveDated(models.Model):
    """A reference row valid from a date until another (open-ended when ``valid_to`` is empty),
    with its legal basis and how sure we are of it. A new legal value is a new row."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.UNCONFIRMED
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
            )
        ]
