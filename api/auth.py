"""Machine authentication: ``Authorization: Bearer <prefix>.<secret>`` (see ``api.tokens``)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.tokens import token_for_key

# last_used_at is written at most this often per token (not on every call).
LAST_USED_STEP = datetime.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """The token's service account is the request's user: its grants decide the scope,
    exactly as for a person signed in (personnel.permissions)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header is malformed.")
            ) from error
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, revoked or expired."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
