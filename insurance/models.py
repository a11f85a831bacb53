"""Insurance numbers, contribution periods and monthly reports (tables arrive with that issue)."""
