"""Hash chaining of audit events: each event's HMAC covers its content and its predecessor's."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


def _key() -> bytes:
    key = settings.AUDIT_CHAIN_KEY
    if not key:
        raise RuntimeError("AUDIT_CHAIN_KEY is not configured.")
    return key.encode()


def canonical_payload(fields: dict[str, Any]) -> bytes:
    def encode(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat(timespec="microseconds")
        return value if value is None or isinstance(value, int | str | list) else str(value)

    return json.dumps(
        {name: encode(value) for name, value in fields.items()},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def event_hash(*, previous_hash: str, fields: dict[str, Any]) -> str:
    message = previous_hash.encode() + b"|" + canonical_payload(fields)
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str
