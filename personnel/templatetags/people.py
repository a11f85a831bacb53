"""Template filters for people: ``{{ user|person_name }}``."""

from django import template

from personnel.people import display_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A user's display name (see ``personnel.people.display_name``)."""
    return display_name(user)
