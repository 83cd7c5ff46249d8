"""How uploaded files are received: in memory only, and never much more than a document may weigh.

Django's default handlers write any upload above 2.5 MB to a temporary file: a child's identity
document would sit on disk in clear, outside the encrypted database, until the request ends.
This handler keeps every upload in memory instead, and stops keeping bytes once the request has
sent one more than DOCUMENT_MAX_BYTES: the rest is counted, not stored, so the document service
can refuse the file as too large with a message rather than a broken connection, and a huge
request cannot exhaust the memory.
"""

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        # For the whole request, across all its file fields.
        self.bytes_left = settings.DOCUMENT_MAX_BYTES + 1
        self.buffer = BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        kept = raw_data[: max(self.bytes_left, 0)]
        self.buffer.write(kept)
        self.bytes_left -= len(kept)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        """``size`` is what was sent; the content holds at most DOCUMENT_MAX_BYTES + 1 bytes."""
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
