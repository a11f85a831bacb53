"""Reads of insurance data: participation, monthly contributions, the register, the change
list, a person's history (docs/rules.md §5.9–§5.13)."""
