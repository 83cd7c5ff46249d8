"""Encryption at rest of identifying data, and blind indexes for exact-match lookups.

Built on `cryptography`'s Fernet (AES-128-CBC + HMAC-SHA256, random IV) through MultiFernet:
the first key in VIGIE_FIELD_ENCRYPTION_KEYS encrypts, every listed key decrypts, and
`vigie crypto rotate` re-encrypts every value with the first key. Keys are independent of
SECRET_KEY (rotating one never makes the other's data unreadable). We chose this thin layer over
django-fernet-encrypted-fields because that package derives its keys from SECRET_KEY.
"""

import functools
import hashlib
import hmac
import unicodedata
from datetime import date
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

ENCRYPTED_PREFIX = "fernet:"


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("VIGIE_FIELD_ENCRYPTION_KEYS is not configured.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(plaintext: str) -> str:
    return ENCRYPTED_PREFIX + fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(stored: str) -> str:
    if not stored.startswith(ENCRYPTED_PREFIX):
        raise ValueError("Value is not encrypted with Vigie's field encryption.")
    try:
        return fernet().decrypt(stored[len(ENCRYPTED_PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise ValueError("No configured key decrypts this value.") from error


def reencrypt_text(stored: str) -> str:
    """The same plaintext under the current primary key (MultiFernet.rotate)."""
    token = stored[len(ENCRYPTED_PREFIX) :].encode("ascii")
    try:
        return ENCRYPTED_PREFIX + fernet().rotate(token).decode("ascii")
    except InvalidToken as error:
        raise ValueError(
            "No configured key decrypts a stored value: keep the old key in "
            "VIGIE_FIELD_ENCRYPTION_KEYS (after the new one) until rotation has run."
        ) from error


def encrypt_bytes(plaintext: bytes) -> bytes:
    """A Fernet token of binary content (an attached document), for a BinaryField."""
    return fernet().encrypt(plaintext)


def decrypt_bytes(token: bytes | memoryview) -> bytes:
    try:
        return fernet().decrypt(bytes(token))
    except InvalidToken as error:
        raise ValueError("No configured key decrypts this content.") from error


def reencrypt_bytes(token: bytes | memoryview) -> bytes:
    """The same content under the current primary key (MultiFernet.rotate)."""
    try:
        return fernet().rotate(bytes(token))
    except InvalidToken as error:
        raise ValueError(
            "No configured key decrypts a stored document: keep the old key in "
            "VIGIE_FIELD_ENCRYPTION_KEYS (after the new one) until rotation has run."
        ) from error


def normalise_for_index(value: str) -> str:
    """Case, accents and spacing do not make two names different for duplicate detection."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.casefold().split())


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC of a normalised value: equal inputs match, the value itself stays secret.

    ``purpose`` separates indexes (a phone number and a name never share a digest space).
    """
    key = settings.BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("VIGIE_BLIND_INDEX_KEY is not configured.")
    message = f"{purpose}\x1f{normalise_for_index(value)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


class EncryptedField(models.Field):
    """A text column holding only ciphertext. Cannot be filtered on: use a blind index."""

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise ValueError(f"Encrypted fields cannot be searched with '{lookup_name}'.")
        return super().get_lookup(lookup_name)

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return self.to_python(value)
        return self.to_python(decrypt_text(value))

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None or value == "":
            return value
        return encrypt_text(self.value_to_plaintext(value))

    def value_to_plaintext(self, value: Any) -> str:
        return str(value)


class EncryptedTextField(EncryptedField):
    _pyi_private_set_type: str
    _pyi_private_get_type: str

    def to_python(self, value: Any) -> Any:
        return value if value is None or isinstance(value, str) else str(value)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.CharField(required=not self.blank, **kwargs)


class EncryptedDateField(EncryptedField):
    """A date stored as encrypted ISO text; Python code sees a ``date``."""

    _pyi_private_set_type: date | None
    _pyi_private_get_type: date | None

    def to_python(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value))

    def value_to_plaintext(self, value: Any) -> str:
        return str(value.isoformat())

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(required=not self.blank, **kwargs)
