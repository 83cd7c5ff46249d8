import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vigie.accounts.models import Organisation, User
from vigie.accounts.roles import Role
from vigie.accounts.services import set_password_link_send, user_create, user_disable

from .org import _format


class Command(BaseCommand):
    help = (
        "Manage accounts: `vigie user create EMAIL --org NAME --role ROLE --name 'Full Name' "
        "(--password-stdin | --send-link)`, `vigie user disable EMAIL`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an account.")
        create.add_argument("email")
        create.add_argument("--org", help="Organisation name (not for platform administrators).")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--name", required=True, help="Full name.")
        how = create.add_mutually_exclusive_group(required=True)
        how.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        how.add_argument(
            "--send-link", action="store_true", help="Email a link to choose a password."
        )
        disable = sub.add_parser("disable", help="Disable an account and end its sessions.")
        disable.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "disable":
            user = User.objects.filter(email__iexact=options["email"]).first()
            if user is None:
                raise CommandError(f"email: no account {options['email']}")
            user_disable(user=user)
            self.stdout.write(self.style.SUCCESS(f"Disabled {user.email}; its sessions are ended."))
            return
        organisation = None
        if options["org"]:
            organisation = Organisation.objects.filter(name=options["org"]).first()
            if organisation is None:
                raise CommandError(f"org: no organisation named {options['org']!r}")
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("password: nothing was read from standard input")
        try:
            with transaction.atomic():
                user = user_create(
                    email=options["email"],
                    full_name=options["name"],
                    role=options["role"],
                    organisation=organisation,
                    password=password,
                )
                if options["send_link"]:
                    set_password_link_send(user=user)
        except ValidationError as error:
            raise CommandError(_format(error)) from error
        how = "a set-password link was emailed" if options["send_link"] else "password set"
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} ({user.role}); {how}."))
