from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigie.accounts.models import Organisation
from vigie.accounts.services import organisation_create


class Command(BaseCommand):
    help = (
        "Manage organisations: `vigie org create NAME --kind KIND [--departement 75 ...]`, "
        "`vigie org list`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("name")
        create.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        create.add_argument("--departement", action="append", default=[], dest="departements")
        sub.add_parser("list", help="List organisations.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for organisation in Organisation.objects.all():
                self.stdout.write(f"{organisation.uuid}\t{organisation.kind}\t{organisation.name}")
            return
        try:
            organisation = organisation_create(
                name=options["name"], kind=options["kind"], departements=options["departements"]
            )
        except ValidationError as error:
            raise CommandError(_format(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created organisation {organisation.name} ({organisation.uuid})")
        )


def _format(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
