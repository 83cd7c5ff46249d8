#!/usr/bin/env bash
# Make sure a PostgreSQL server listens on 127.0.0.1:5432 with a `vigie` role able to create
# databases (pytest-django creates test_vigie). Uses Debian's cluster tools; idempotent.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  $SUDO pg_ctlcluster "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
fi
as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigie') THEN
    CREATE ROLE vigie LOGIN PASSWORD 'vigie' CREATEDB;
  END IF;
END
$$;
SQL
as_postgres psql -q -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'vigie'" | grep -q 1 \
  || as_postgres createdb -O vigie vigie
echo "PostgreSQL ready on 127.0.0.1:5432"
