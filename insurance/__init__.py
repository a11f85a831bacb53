"""Compulsory insurance (BHXH, BHYT, BHTN): each person's insurance record and participation,
the monthly contributions, and the reports to the insurance office (docs/rules.md §5.9–§5.13).

- Per person (``models/records.py``): the health-insurance card, the initial-care hospital,
  whether the unit holds the insurance book (the social-insurance number and the personal ID stay
  on ``personnel.Staff``); participation periods rebuilt from the dossier's dates and movements
  and from the absences a clerk records (``services/participation.py``).
- Per unit (``models/units.py``): the insurance-office unit code, the office it reports to and
  the address, one row per org unit.
- Monthly contributions per person and fund (``selectors/contributions.py``): from the locked
  payroll, or from the salary decisions with the payroll's pure rules where the month is not
  locked here.
- Reports: the register and its summary per unit and fund, the D02-LT change list laid out by an
  effective-dated template (``exporters/``), and the reconciliation with the office's monthly
  statement (C12-TS, ``importers/statement.py``).

It sits at the top of the domain layers: insurance → payroll → personnel → hrms.
"""
