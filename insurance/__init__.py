"""Compulsory insurance (BHXH, BHYT, BHTN): what this app will hold when the insurance work
gives it tables (issue 12; docs/rules.md §5).

- Per person: the social-insurance number and the 12-digit personal ID linking to the national
  insurance database, the health-insurance card and initial-care hospital, whether the unit
  keeps the insurance book, and participation periods (start, stop, reason) derived from
  movements and leave where possible.
- Per unit: the insurance-office unit code and the office it reports to.
- Monthly contributions per person and fund, employee and employer, taken from the locked
  payroll (``payroll``), or from the salary decisions in force for units that do not run their
  payroll here.
- Reports to the insurance office: the monthly change list (D02-LT), the contribution summary
  and the reconciliation with the office's statement (C12-TS).

It sits at the top of the domain layers: insurance → payroll → personnel → hrms.
"""
