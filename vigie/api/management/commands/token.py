"""Provisioning personal API tokens from the command line (the audit records a system actor).

`vigie token create EMAIL --name N --scopes cases:read,cases:write --expires 2027-03-01` prints
the secret, and only the secret, on standard output, so that a script can capture it
(`SECRET=$(vigie token create …)`); everything else goes to standard error.
"""

import uuid
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.accounts.models import User
from vigie.api.forms import expiry_moment
from vigie.api.models import ApiToken
from vigie.api.selectors import api_token_state, api_tokens_for_user
from vigie.api.services import api_token_create, api_token_revoke
from vigie.audit.services import Actor

# The service's field names as the options that carry them.
_OPTIONS = {"user": "EMAIL", "name": "--name", "scopes": "--scopes", "expires_on": "--expires"}
SYSTEM = Actor(user=None)


def _user(email: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise CommandError(f"EMAIL: no account {email}")
    return user


def _errors(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{_OPTIONS.get(field, field)}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


class Command(BaseCommand):
    help = (
        "Personal API tokens: `vigie token create EMAIL --name NAME --scopes "
        "cases:read,cases:write --expires YYYY-MM-DD` (prints the secret once), "
        "`vigie token list EMAIL`, `vigie token revoke UUID`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; prints its secret, once.")
        create.add_argument("email", metavar="EMAIL")
        create.add_argument("--name", required=True, help="Which system uses the token.")
        create.add_argument(
            "--scopes", required=True, help="Comma-separated, e.g. cases:read,cases:write."
        )
        create.add_argument(
            "--expires",
            required=True,
            metavar="YYYY-MM-DD",
            help="The first day the token no longer works (local time, 00:00).",
        )
        listing = sub.add_parser("list", help="A person's tokens (never their secrets).")
        listing.add_argument("email", metavar="EMAIL")
        revoke = sub.add_parser("revoke", help="Revoke a token by its UUID.")
        revoke.add_argument("uuid", metavar="UUID")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(_user(options["email"]))
        else:
            self._revoke(options["uuid"])

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["email"])
        try:
            expires = date.fromisoformat(options["expires"])
        except ValueError as error:
            raise CommandError(
                f"--expires: not a date YYYY-MM-DD: {options['expires']!r}"
            ) from error
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            created = api_token_create(
                actor=SYSTEM,
                user=user,
                name=options["name"],
                scopes=scopes,
                expires_on=expiry_moment(expires),
            )
        except ValidationError as error:
            raise CommandError(_errors(error)) from error
        token = created.token
        self.stderr.write(
            f"Created token {token.uuid} ({token.name}) for {user.email}, expires "
            f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}. The secret below is shown "
            "once: store it now."
        )
        self.stdout.write(created.secret)

    def _list(self, user: User) -> None:
        now = timezone.now()
        tokens = api_tokens_for_user(actor=Actor(user=user))
        if not tokens:
            self.stderr.write(f"No API token for {user.email}.")
        for token in tokens:
            last = (
                f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M} "
                f"from {token.last_used_ip or '?'}"
                if token.last_used_at
                else "never"
            )
            self.stdout.write(
                "\t".join(
                    [
                        str(token.uuid),
                        token.name,
                        f"{token.prefix}…",
                        ",".join(token.scopes),
                        f"expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}",
                        f"last used {last}",
                        str(api_token_state(token, now=now)),
                    ]
                )
            )

    def _revoke(self, raw_uuid: str) -> None:
        try:
            token_uuid = uuid.UUID(raw_uuid)
        except ValueError as error:
            raise CommandError(f"UUID: not a token id: {raw_uuid!r}") from error
        # The command line acts for the platform: any person's token, by its public id.
        token = ApiToken.objects.select_related("user").filter(uuid=token_uuid).first()
        if token is None:
            raise CommandError(f"UUID: no token {token_uuid}")
        already = token.revoked_at is not None
        api_token_revoke(actor=SYSTEM, token=token)
        state = "was already revoked" if already else "is revoked"
        self.stdout.write(f"Token {token.uuid} ({token.name}) of {token.user.email} {state}.")
