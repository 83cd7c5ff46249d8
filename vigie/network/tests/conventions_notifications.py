"""What the project-wide tests need to know about the notifications pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: the audit events of every URL of this part that names a case (case_uuid), as in
vigie/cases/tests/test_read_audit.py.
"""

from typing import Any

ROUTES: dict[str, Any] = {}
READS: dict[str, Any] = {}
