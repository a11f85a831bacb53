"""``manage.py api_token issue|revoke|list``: client systems' tokens (see ``api.tokens``)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.tokens import token_issue, token_revoke


class Command(BaseCommand):
    help = "Issue, revoke or list API tokens of client systems."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue a token; the key is printed once.")
        issue.add_argument("--user", required=True, help="The service account's username.")
        issue.add_argument("--name", required=True, help="The client system's name.")
        issue.add_argument("--days", type=int, default=365)
        issue.add_argument("--rate", type=int, default=600, help="Calls per minute.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="List the tokens (never their keys).")

    def handle(self, *args, action, **options):
        if action == "issue":
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
            if not 1 <= options["days"] <= 730:
                raise CommandError("--days: from 1 to 730.")
            token, key = token_issue(
                user=user, name=options["name"], days=options["days"],
                rate_per_minute=options["rate"], actor=None,
            )  # fmt: skip
            self.stdout.write(
                f"Token {token.prefix} for {user.username}, until {token.expires_at:%d/%m/%Y}."
            )
            self.stdout.write("The key (shown once, keep it secret):")
            self.stdout.write(key)
        elif action == "revoke":
            token = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if token is None:
                raise CommandError(f"No token with prefix {options['prefix']!r}.")
            token_revoke(token=token, actor=None)
            self.stdout.write(f"Token {token.prefix} ({token.name}) revoked.")
        else:
            for token in ApiToken.objects.select_related("user"):
                state = (
                    "revoked" if token.revoked_at else ("usable" if token.is_usable else "expired")
                )
                self.stdout.write(
                    f"{token.prefix}\t{token.name}\t{token.user.username}\t"
                    f"{token.expires_at:%d/%m/%Y}\t{state}"
                )
