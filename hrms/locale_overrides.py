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
]
