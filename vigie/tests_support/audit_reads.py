"""How a test exercises a URL that reads a case file, and the audit events it must write."""

from dataclasses import dataclass, field
from typing import Any

from vigie.audit.models import AuditAction


@dataclass(frozen=True)
class Read:
    method: str
    actions: list[AuditAction]  # the events one request writes, in order
    data: dict[str, Any] = field(default_factory=dict)
    # Pages of archived files (retention) read only those: the case is archived first.
    archived: bool = False
