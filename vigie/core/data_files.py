"""Reading the versioned YAML catalogues (indicators, rights): pure Python, no Django import, so
that the identification engine and its command stay usable without Django."""

from pathlib import Path

import yaml

try:  # the C loader when libyaml is there: several times faster, same safe subset
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]


def yaml_file_read(path: Path, *, error: type[Exception]) -> object:
    """The YAML document in ``path``; ``error`` (naming the file) when unreadable or invalid."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise error(f"{path}: cannot read the catalogue: {problem}") from problem
    try:
        # SafeLoader (C or Python): bandit cannot see that the alias is a safe loader.
        return yaml.load(text, Loader=SafeLoader)  # nosec B506
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {problem}") from problem
