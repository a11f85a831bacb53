"""Salary scales, ranks, salary history and payroll (tables arrive with the salary issue)."""
