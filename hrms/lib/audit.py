"""Attributing database changes in the audit trail (django-pghistory).

Every service that writes runs its changes inside ``audited(actor, reason)``: the history
triggers record each row change together with who made it and why, whatever the change is
(bulk updates and imports included).
"""

import pghistory


def audited(actor, reason: str):
    """A history context naming ``actor`` (a user, or None for the system) and ``reason``."""
    return pghistory.context(user=getattr(actor, "pk", None), reason=str(reason))
