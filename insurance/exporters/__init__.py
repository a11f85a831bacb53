"""Reports to the insurance office: the D02-LT change list (a template), the register and the
summary per unit (XLSX)."""
