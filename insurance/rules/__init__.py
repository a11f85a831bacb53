"""Pure insurance rules: participation spells and their months, reconciliation with the office's
statement. No Django, no models; ``Decimal`` in and out (docs/rules.md §5)."""
