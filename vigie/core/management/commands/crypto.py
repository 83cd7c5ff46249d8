from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigie.core.key_rotation import encrypted_values_rotate


class Command(BaseCommand):
    help = (
        "Encryption keys: `vigie crypto rotate` re-encrypts every encrypted value with the "
        "first key of VIGIE_FIELD_ENCRYPTION_KEYS. Put the new key first, keep the old ones "
        "after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate")
        rotate.add_argument("--batch-size", type=int, default=2000)
        sub.add_parser("generate-key", help="Print a new random Fernet key.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate-key":
            from cryptography.fernet import Fernet

            self.stdout.write(Fernet.generate_key().decode())
            return
        try:
            counts = encrypted_values_rotate(batch_size=options["batch_size"])
        except ValueError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Rotation complete."))
