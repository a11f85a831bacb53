"""The JSON API for the province's other systems (``/api/v1/``): org units, staff, salary and
insurance read through the same scope as the screens, writes through the same forms and
services, machine tokens bound to service accounts, and the CBCCVC export.

It sits above every domain app (it reads insurance and payroll as well as personnel) and no
app imports it."""
