"""Which employment movement may follow which status, and the status it leads to.

A working person may be transferred, go on leave without pay, retire, resign or die; a person on
leave without pay may return, retire, resign or die; nothing follows retirement, resignation or
death (a new appointment is a new record). Statuses and kinds are plain strings, the values of
``Staff.Status`` and ``Movement.Kind`` (docs/rules.md §8).
"""

ACTIVE, UNPAID_LEAVE = "active", "unpaid_leave"
RETIRED, RESIGNED, DECEASED = "retired", "resigned", "deceased"

# movement kind → (status it leads to, statuses it may follow)
STATUS_MOVEMENTS: dict[str, tuple[str, frozenset[str]]] = {
    "unpaid_leave": (UNPAID_LEAVE, frozenset({ACTIVE})),
    "return": (ACTIVE, frozenset({UNPAID_LEAVE})),
    "retirement": (RETIRED, frozenset({ACTIVE, UNPAID_LEAVE})),
    "resignation": (RESIGNED, frozenset({ACTIVE, UNPAID_LEAVE})),
    "death": (DECEASED, frozenset({ACTIVE, UNPAID_LEAVE})),
}
TRANSFER_FROM = frozenset({ACTIVE})
# Still in the service: they follow their unit into a merger or split (docs/rules.md §9.5).
IN_SERVICE = frozenset({ACTIVE, UNPAID_LEAVE})
LEAVING = frozenset({"retirement", "resignation", "death"})
ORDER = ("transfer", "unpaid_leave", "return", "retirement", "resignation", "death")


def allowed_movements(status: str) -> list[str]:
    """The movements that may be recorded for someone in ``status``, in the menu's order."""
    allowed = {kind for kind, (_new, sources) in STATUS_MOVEMENTS.items() if status in sources}
    if status in TRANSFER_FROM:
        allowed.add("transfer")
    return [kind for kind in ORDER if kind in allowed]


def status_after(kind: str, status: str) -> str | None:
    """The status ``kind`` leads to from ``status``, or None when it may not follow it."""
    if kind == "transfer":
        return status if status in TRANSFER_FROM else None
    new_status, sources = STATUS_MOVEMENTS.get(kind, (None, frozenset()))
    return new_status if status in sources else None
