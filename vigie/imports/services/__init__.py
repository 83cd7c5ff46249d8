"""Everything that writes imports: an uploaded file, its mapping, its preview, its import.

The path of a file through the pages (and `vigie import`): ``import_upload`` keeps it encrypted
and reads its header; ``import_preview`` checks every row against a mapping and counts what
would be created, updated or skipped as already imported; ``import_commit_request`` queues the
import; ``import_run`` (the background task) checks every row again and writes all of them, or
nothing. ``import_direct`` does the same in one call for small files (the directory's page).

Progress, all or nothing, on SQLite and PostgreSQL alike: the rows are checked and prepared
(parsed, encrypted, rights plans evaluated) outside any transaction, saving ``rows_done`` every
few thousand rows in its own autocommitted update, which any other connection sees at once.
Then everything is written in ONE transaction with the audit event and the job's DONE status.
SQLite allows a single writer, so no progress could be saved from inside that transaction
anyway; the job says it is writing (``phase``) meanwhile, and the writing is the short part.

Each step is in its own module: uploads.py (the file and its mapping), preview.py, running.py
(the request, the run, the direct import); _common.py holds what they share. Callers import from
``vigie.imports.services``, which names them all.
"""

from ..targets.base import RowError
from .preview import ImportPreview, import_preview, import_previous
from .running import ImportOutcome, import_commit_request, import_direct, import_run
from .uploads import (
    MAPPING_NAME_MAX_LENGTH,
    UPLOAD_KEPT_FOR,
    import_discard,
    import_headers,
    import_mapping_save,
    import_mapping_suggest,
    import_upload,
    import_uploads_purge,
)

__all__ = [
    "MAPPING_NAME_MAX_LENGTH",
    "UPLOAD_KEPT_FOR",
    "ImportOutcome",
    "ImportPreview",
    "RowError",
    "import_commit_request",
    "import_direct",
    "import_discard",
    "import_headers",
    "import_mapping_save",
    "import_mapping_suggest",
    "import_preview",
    "import_previous",
    "import_run",
    "import_upload",
    "import_uploads_purge",
]
