"""Rate limit per token: a per-minute counter in the database, so every web worker (and
machine) shares it. One upsert per call."""

from django.db import connection
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from api.models import ApiCallCount, ApiToken

_COUNT_SQL = f"""
INSERT INTO {ApiCallCount._meta.db_table} (token_id, minute, calls) VALUES (%s, %s, 1)
ON CONFLICT (token_id, minute) DO UPDATE SET calls = {ApiCallCount._meta.db_table}.calls + 1
RETURNING calls
"""


class TokenRateThrottle(BaseThrottle):
    """At most ``token.rate_per_minute`` calls per calendar minute per token; browser sessions
    (people) are not limited here."""

    def allow_request(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        now = timezone.now()
        minute = now.replace(second=0, microsecond=0)
        with connection.cursor() as cursor:
            cursor.execute(_COUNT_SQL, [token.pk, minute])
            calls = cursor.fetchone()[0]
        if calls == 1:  # a new minute: forget the old ones of this token
            ApiCallCount.objects.filter(token=token, minute__lt=minute).delete()
        self._wait = 60 - now.second
        return calls <= token.rate_per_minute

    def wait(self):
        return getattr(self, "_wait", 60)
