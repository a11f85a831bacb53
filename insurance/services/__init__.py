"""Writes to insurance records: one transaction each, audited (docs/rules.md §5.9–§5.13)."""
