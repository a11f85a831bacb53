"""Pure rules of personnel records (no database): which employment movements are possible."""
