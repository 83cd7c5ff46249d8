#!/usr/bin/env bash
# Fails when a UI string is missing from the catalogues, or left untranslated/fuzzy in French
# (English is the source language). Leaves the working tree as it found it.
set -euo pipefail
BIN=$(cd "$1" && pwd)
tmp=$(mktemp -d)
cp -rp vigie/locale "$tmp/before"
trap 'rm -rf vigie/locale && cp -rp "$tmp/before" vigie/locale && rm -rf "$tmp"' EXIT
(cd vigie && "$BIN/vigie" makemessages -l fr -l en --no-location --no-obsolete -v 0 --ignore='*/tests/*' --ignore='tests_support/*')
status=0
for lang in fr en; do
  po=LC_MESSAGES/django.po
  msgcat --no-wrap --sort-output "$tmp/before/$lang/$po" | grep -v '^"POT-Creation-Date' > "$tmp/old-$lang"
  msgcat --no-wrap --sort-output "vigie/locale/$lang/$po" | grep -v '^"POT-Creation-Date' > "$tmp/new-$lang"
  if ! diff -q "$tmp/old-$lang" "$tmp/new-$lang" >/dev/null; then
    diff "$tmp/old-$lang" "$tmp/new-$lang" | head -30 >&2
    echo "The $lang catalogue is out of date: run 'make messages-update' and translate." >&2
    status=1
  fi
done
untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/before/fr/LC_MESSAGES/django.po" | grep -c '^msgid' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/before/fr/LC_MESSAGES/django.po" | grep -c '^msgid' || true)
# msgattrib prints the header entry too when anything else is printed.
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  msgattrib --untranslated --no-obsolete "$tmp/before/fr/LC_MESSAGES/django.po" | head -20 >&2
  msgattrib --only-fuzzy --no-obsolete "$tmp/before/fr/LC_MESSAGES/django.po" | head -20 >&2
  echo "French catalogue has untranslated or fuzzy strings." >&2
  status=1
fi
exit $status
