"""Django messages whose Vietnamese translation is missing upstream.

Listed here only so that ``makemessages`` copies them into ``locale/vi``, which takes precedence
over Django's own catalogues. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

OVERRIDES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both "
        "fields may be case-sensitive."
    ),
    # The administration site (django.contrib.admin) without Vietnamese upstream.
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django-tasks' results.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    # django-axes (no Vietnamese upstream).
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("Logout Time"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    # django-guardian's grant columns.
    gettext_noop("user"),
    gettext_noop("permission"),
]
