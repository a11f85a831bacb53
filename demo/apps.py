from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (``manage.py seed_demo``). It sits above every domain app, since a demo
    fills them all: org tree and dossiers, salary decisions, later payroll and insurance."""

    name = "demo"
    verbose_name = "Demo data"
