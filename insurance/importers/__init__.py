"""Spreadsheets from outside read into cleaned rows: the office's monthly statement (C12-TS)."""
