"""How people are named on screens, in the history and on printed documents."""


def display_name(user) -> str:
    """A user's name as colleagues read it: the full name of their staff record, else the
    account's name in Vietnamese order (family name first), else the login."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.full_name
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
