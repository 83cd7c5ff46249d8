"""The query plans of the case list, for the database in DATABASE_URL (a benchmark's, kept with
BENCH_KEEP=1): `DATABASE_URL=... DJANGO_SETTINGS_MODULE=vigie.config.settings.dev
.venv/bin/python bench/explain.py [filter=value ...]`.

Runs the list selector for the demo coordinator (in a transaction rolled back: its audit events
are not kept), captures the SQL it sends, and prints each case query with its plan: EXPLAIN
ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite.
"""

import sys
import time

import django


def main() -> None:
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from vigie.accounts.models import User
    from vigie.audit.services import Actor
    from vigie.cases.selectors import CaseListFilters, case_count_for_user, case_list_for_user

    email = "coordination@horizon.demo.invalid"
    params = dict(arg.split("=", 1) for arg in sys.argv[1:] if "=" in arg)
    who = params.pop("as", "")
    if who == "caseworker":
        email = "intervenante@horizon.demo.invalid"
    actor = Actor(user=User.objects.get(email=email))
    filters = CaseListFilters(**params)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        page = case_list_for_user(actor=actor, filters=filters)
        if not params:
            case_count_for_user(actor=actor)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    print(f"{len(page.cases)} files listed in {elapsed:.1f} ms ({filters})\n")
    for query in queries.captured_queries:
        sql = query["sql"]
        if "cases_case" not in sql or not sql.startswith("SELECT"):
            continue
        print(sql, "\n")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            for row in cursor.fetchall():
                print("   ", " | ".join(str(value) for value in row))
        print()


if __name__ == "__main__":
    main()
