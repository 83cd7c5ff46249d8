"""Reading an uploaded JSON file as a table: an array of objects, or an object holding one
array (``{"ads": [...]}``), each object one row, its keys the columns.

Other tools export JSON rather than spreadsheets (the outreach teams' own scripts). The rows
reach the same fields and checks as a CSV's: a key is a column (the first item naming it sets
its place), a value becomes the text a person would have typed in a cell, and a list becomes
one value per line of that cell. A row's "line" is the item's position in the array, counted
from 1. Anything that is not such a value is refused with the item's position and the key.
"""

import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from .readers import MAX_ROWS, FileUnreadable, RawRow

_BOM = "\ufeff"


def _item_error(position: int, message: str) -> FileUnreadable:
    return FileUnreadable(
        _("Item %(position)s: %(message)s") % {"position": position, "message": message}
    )


def _key_error(position: int, key: str, message: str) -> FileUnreadable:
    return FileUnreadable(
        _("Item %(position)s, key “%(key)s”: %(message)s")
        % {"position": position, "key": key, "message": message}
    )


def _scalar(value: Any) -> str | None:
    """A value as typed in a cell; None when it is not a plain value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        return value.strip()
    return None


def _cell(position: int, key: str, value: Any) -> str:
    if isinstance(value, list):
        parts = []
        for part in value:
            text = _scalar(part)
            if text is None:
                raise _key_error(
                    position, key, _("a list may hold only texts, numbers or true/false.")
                )
            if text:
                parts.append(text)
        return "\n".join(parts)
    text = _scalar(value)
    if text is None:
        raise _key_error(
            position, key, _("the value must be a text, a number, true/false or a list.")
        )
    return text


def _items(content: bytes) -> list[Any]:
    try:
        text = content.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as problem:
        raise FileUnreadable(_("The file is not UTF-8 text.")) from problem
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        raise FileUnreadable(
            _("The file is not valid JSON near line %(line)s, column %(column)s.")
            % {"line": problem.lineno, "column": problem.colno}
        ) from problem
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise FileUnreadable(
                _(
                    "The file must be a JSON array of objects, or an object holding one "
                    'array (e.g. {"ads": [...]}).'
                )
            )
        data = lists[0]
    if not isinstance(data, list):
        raise FileUnreadable(_("The file must be a JSON array of objects."))
    if not data:
        raise FileUnreadable(_("The file has no item."))
    if len(data) > MAX_ROWS:
        raise FileUnreadable(
            _("The file has too many rows: %(count)s at most.") % {"count": f"{MAX_ROWS:,}"}
        )
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _item_error(position, _('each item must be an object {"key": value}.'))
        for key, value in item.items():
            if not key.strip():
                raise _item_error(position, _("a key is empty."))
            _cell(position, key, value)
    return data


def json_headers(content: bytes) -> list[str]:
    """Every key of the items, in the order they first appear; FileUnreadable naming the item
    (and key) that cannot be read."""
    return _headers_of(_items(content))


def _headers_of(items: list[Any]) -> list[str]:
    headers: dict[str, None] = {}
    for item in items:
        for key in item:
            headers.setdefault(key.strip(), None)
    return list(headers)


def json_rows(content: bytes) -> Iterator[RawRow]:
    """Each item as a row of cells under ``json_headers``; a missing key is an empty cell."""
    items = _items(content)
    headers = _headers_of(items)
    for position, item in enumerate(items, start=1):
        cells = {key.strip(): _cell(position, key, value) for key, value in item.items()}
        row = [cells.get(header, "") for header in headers]
        if any(row):
            yield RawRow(position, row)
