"""Insurance tables: none yet (see the package docstring)."""
