#!/usr/bin/env bash
# Fails when a UI string is missing from the catalogues or left untranslated in French or English.
set -euo pipefail
BIN=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r vigie/locale "$tmp/before"
(cd vigie && "../$BIN/vigie" makemessages -l fr -l en --no-location --no-obsolete -v 0 --ignore=tests/*)
if ! diff -r -q -I '^"POT-Creation-Date' "$tmp/before" vigie/locale >/dev/null; then
  diff -r -I '^"POT-Creation-Date' "$tmp/before" vigie/locale | head -40
  rm -rf vigie/locale && cp -r "$tmp/before" vigie/locale
  echo "Translation catalogues are out of date: run 'cd vigie && vigie makemessages -l fr -l en --no-location --no-obsolete' and translate." >&2
  exit 1
fi
untranslated=$("$BIN/python" - <<'PY'
import pathlib, re
bad = []
# English is the source language: only the French catalogue must be complete.
for po in pathlib.Path("vigie/locale").glob("fr/LC_MESSAGES/django.po"):
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if "#, fuzzy" in block:
            bad.append(f"{po}: fuzzy: {block.splitlines()[-2][:80]}")
        elif re.search(r'msgstr(\[\d\])? ""\Z', block.strip()) and 'msgid ""\nmsgstr ""' not in block:
            bad.append(f"{po}: untranslated: {block.splitlines()[0][:80]}")
print("\n".join(bad))
PY
)
if [ -n "$untranslated" ]; then echo "$untranslated" | head -20 >&2; exit 1; fi
