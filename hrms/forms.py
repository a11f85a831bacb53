"""Site-wide forms."""

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The password change form, with wrong old passwords throttled like failed logins.

    The old password is checked through ``authenticate()``, so django-axes counts each wrong one
    against the username and address and, past ``AXES_FAILURE_LIMIT``, refuses as at the login
    form: someone holding a signed-in session cannot guess the password here either.
    """

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    def save(self, commit=True):
        user = super().save(commit=commit)
        # The old password was proven: forget this user's earlier failures from this address,
        # as a successful login does (AXES_RESET_ON_SUCCESS).
        axes_reset(ip=get_client_ip_address(self.request), username=self.user.get_username())
        return user
