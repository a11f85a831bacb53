"""What a scan may be attached to besides the dossier's own rows: salary decisions belong to
payroll, which sits above personnel, so payroll registers them here when it starts
(``PayrollConfig.ready``) and personnel never imports it."""

from collections.abc import Callable

Source = Callable[[object], list[tuple[str, str]]]  # staff → [("salary:12", "label"), …]

_sources: list[Source] = []


def register_document_targets(source: Source) -> None:
    """Called once by an app whose rows may carry scans."""
    if source not in _sources:
        _sources.append(source)


def other_targets(staff) -> list[tuple[str, str]]:
    """Every registered source's targets for ``staff``."""
    return [target for source in _sources for target in source(staff)]
