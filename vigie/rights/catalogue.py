"""Placeholder replaced by the rights catalogue loader (helper task)."""


def load_catalogue() -> None:
    return None
