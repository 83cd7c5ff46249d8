"""Benchmarks: `make bench` (100,000 cases) or `make bench BENCH_CASES=1000000`.

For SQLite (a fresh file) and PostgreSQL (a fresh database, when BENCH_POSTGRES_URL points to a
server that lets the role create databases):

1. migrate, then `vigie demo --cases N`, timed, with the generating process's peak memory;
2. the pages people use every day, through the real views (Django's test client, signed in with
   password and second factor, every middleware and the audit trail included): the case list
   (first page, 20th page through the cursor, each filter, search by reference and by name) and
   the home page with the daily view, for a coordinator and a caseworker. Each is requested
   BENCH_REQUESTS times (50) after a warm-up; p50, p95 and max are printed as a table.

Environment: BENCH_CASES (100000), BENCH_REQUESTS (50), BENCH_SCENARIO_SECONDS (120: a page
slower than that over its requests is measured fewer times, at least 5, and the table says so),
BENCH_POSTGRES_URL, BENCH_KEEP=1 keeps the databases (their addresses are printed) and
BENCH_REUSE=<database URL> measures an existing one without generating anything.
"""

import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VIGIE = str(ROOT / ".venv" / "bin" / "vigie")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SETTINGS = "vigie.config.settings.dev"
DEMO_ORGANISATION = "horizon"  # the demo organisation whose people are signed in
MIN_REQUESTS = 5
NEXT_LINK = re.compile(r'after=([A-Za-z0-9_-]+)" rel="next"')


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS}


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([VIGIE, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_child_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def generate(label: str, database_url: str, cases: int) -> None:
    env = _env(database_url)
    run(["migrate", "-v", "0"], env)
    seconds = run(["demo", "--cases", str(cases), "--seed", "1"], env)
    rate = cases / seconds
    print(
        f"demo {label:<10} {cases:>9,} cases  {seconds:8.1f} s  {rate:9,.0f} cases/s  "
        f"peak RSS {peak_child_rss_mib():7.0f} MiB",
        flush=True,
    )


def measure(label: str, database_url: str) -> list[dict[str, Any]]:
    """The page timings, measured in a process of their own (settings read from DATABASE_URL)."""
    output = subprocess.run(
        [PYTHON, __file__, "--measure"],
        env=_env(database_url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    rows: list[dict[str, Any]] = json.loads(output.strip().splitlines()[-1])
    for row in rows:
        row["database"] = label
    return rows


def print_table(rows: list[dict[str, Any]], cases: int) -> None:
    print()
    print(f"Pages at {cases:,} cases (ms per request; n requests, SQL queries, rows shown)")
    header = f"{'database':<11}{'page':<40}{'p50':>8}{'p95':>8}{'max':>8}{'n':>4}{'SQL':>5}  rows"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['database']:<11}{row['name']:<40}{row['p50']:>8.1f}{row['p95']:>8.1f}"
            f"{row['max']:>8.1f}{row['n']:>4}{row['queries']:>5}  {row['rows']}"
        )
    print(flush=True)


# --- Inside the measuring process ---------------------------------------------------------------


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def _signed_in_client(email: str) -> Any:
    from django.test import Client
    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigie.demo.data import DEMO_PASSWORD

    client = Client(SERVER_NAME="localhost")
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
    )
    _check(response.status_code == 302, f"sign-in of {email} failed: {response.status_code}")
    for _attempt in range(2):
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        response = client.post(reverse("accounts:mfa_verify"), {"token": code})
        if response.status_code == 302:
            return client
        # A code is accepted once: signed in moments ago, wait for the next one.
        time.sleep(device.step - time.time() % device.step + 1)
    raise RuntimeError(f"second factor of {email} failed")


def _timed(name: str, client: Any, requests: list[tuple[str, dict[str, str]]]) -> dict[str, Any]:
    """Each request of ``requests`` (cycled after two warm-ups), and one more to count SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path, params in requests[:2]:
        client.get(path, params)
    durations = []
    shown = 0
    budget = time.perf_counter() + float(os.environ.get("BENCH_SCENARIO_SECONDS", "120"))
    for path, params in requests:
        started = time.perf_counter()
        response = client.get(path, params)
        durations.append((time.perf_counter() - started) * 1000)
        _check(response.status_code == 200, f"{name}: {response.status_code}")
        shown = response.content.count(b'<th scope="row">')
        if len(durations) >= MIN_REQUESTS and time.perf_counter() > budget:
            break  # a page too slow to measure 50 times: fewer requests, said in the table
    with CaptureQueriesContext(connection) as queries:
        client.get(*requests[0])
    durations.sort()
    return {
        "name": name,
        "n": len(durations),
        "p50": statistics.median(durations),
        "p95": durations[max(0, round(0.95 * len(durations)) - 1)],
        "max": durations[-1],
        "queries": len(queries.captured_queries),
        "rows": shown,
    }


def _cursor_of_page(client: Any, path: str, page: int) -> dict[str, str]:
    """The ``after`` parameter of the list's ``page``-th page, following "next page" links."""
    params: dict[str, str] = {}
    for _ in range(page - 1):
        found = NEXT_LINK.search(client.get(path, params).content.decode())
        if found is None:
            raise RuntimeError(f"the list has fewer than {page} pages")
        params = {"after": found.group(1)}
    return params


def measure_here() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse

    from vigie.accounts.models import User
    from vigie.cases.models import Case

    count = int(os.environ.get("BENCH_REQUESTS", "50"))
    rng = random.Random(1)  # nosec B311
    domain = f"{DEMO_ORGANISATION}.demo.invalid"
    coordinator = _signed_in_client(f"coordination@{domain}")
    caseworker = _signed_in_client(f"intervenante@{domain}")
    organisation = User.objects.get(email=f"coordination@{domain}").organisation
    colleague = User.objects.get(email=f"equipe1@{domain}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load, done now so that runs are comparable.
            cursor.execute("VACUUM ANALYZE")
    # Inputs of the searches: existing references and names of the organisation's active
    # files, decrypted here (setting up the benchmark, not measured).
    sample = list(
        Case.objects.filter(organisation=organisation, archived_at__isnull=True, status="protected")
        .order_by("uuid")
        .only("reference", "first_name", "last_name")[: count * 20 : 20]
    )
    references = [{"q": case.reference.lower()} for case in sample]
    names = [{"q": f"{case.first_name} {case.last_name}"} for case in sample]
    rng.shuffle(names)

    cases_path = reverse("cases:list")
    home = reverse("core:home")

    def same(params: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
        return [(cases_path, params)] * count

    scenarios: list[tuple[str, Any, Callable[[], list[tuple[str, dict[str, str]]]]]] = [
        ("list, page 1 (coordinator)", coordinator, lambda: same({})),
        ("list, page 1 (caseworker)", caseworker, lambda: same({})),
        (
            "list, page 20 by cursor (coordinator)",
            coordinator,
            lambda: same(_cursor_of_page(coordinator, cases_path, 20)),
        ),
        ("filter status=protected", coordinator, lambda: same({"status": "protected"})),
        ("filter status=all", coordinator, lambda: same({"status": "all"})),
        ("filter rights overdue", coordinator, lambda: same({"rights_due": "overdue"})),
        ("filter rights due within 14 days", coordinator, lambda: same({"rights_due": "due_soon"})),
        ("filter no right due", coordinator, lambda: same({"rights_due": "none"})),
        (
            "filter form=forced_labour",
            coordinator,
            lambda: same({"exploitation_form": "forced_labour"}),
        ),
        (
            "filter form=sale_of_child (rare)",
            coordinator,
            lambda: same({"exploitation_form": "sale_of_child"}),
        ),
        (
            "filter form=organ_removal (none)",
            coordinator,
            lambda: same({"exploitation_form": "organ_removal"}),
        ),
        ("filter age 16-17", coordinator, lambda: same({"age_band": "16_17"})),
        ("filter age unknown", coordinator, lambda: same({"age_band": "unknown"})),
        ("filter care status PJJ", coordinator, lambda: same({"care_status": "pjj"})),
        ("filter worker=mine (caseworker)", caseworker, lambda: same({"worker": "mine"})),
        ("filter worker=a colleague", coordinator, lambda: same({"worker": str(colleague.uuid)})),
        ("filter worker=unassigned", coordinator, lambda: same({"worker": "unassigned"})),
        (
            "filters combined (mine+overdue+16-17)",
            caseworker,
            lambda: same({"worker": "mine", "rights_due": "overdue", "age_band": "16_17"}),
        ),
        (
            "search by reference",
            coordinator,
            lambda: [(cases_path, params) for params in references],
        ),
        ("search by name (blind index)", coordinator, lambda: [(cases_path, p) for p in names]),
        ("home + daily view (coordinator)", coordinator, lambda: [(home, {})] * count),
        ("home + daily view (caseworker)", caseworker, lambda: [(home, {})] * count),
    ]
    results = [_timed(name, client, requests()) for name, client, requests in scenarios]
    print(json.dumps(results))


def main() -> None:
    if "--measure" in sys.argv:
        measure_here()
        return
    cases = int(os.environ.get("BENCH_CASES", "100000"))
    keep = os.environ.get("BENCH_KEEP") == "1"
    reuse = os.environ.get("BENCH_REUSE")
    if reuse:
        label = "PostgreSQL" if reuse.startswith("postgres") else "SQLite"
        print_table(measure(label, reuse), cases)
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = tempfile.mkdtemp(prefix="vigie-bench-") if keep else tmp
        sqlite_url = f"sqlite:///{folder}/bench.sqlite3"
        generate("SQLite", sqlite_url, cases)
        rows += measure("SQLite", sqlite_url)
        if keep:
            print(f"kept: {sqlite_url}")
    postgres_url = os.environ.get("BENCH_POSTGRES_URL")
    if postgres_url:
        admin_url, _, _name = postgres_url.rpartition("/")
        name = f"vigie_bench_{os.getpid()}"
        subprocess.run(
            ["psql", f"{admin_url}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True
        )
        try:
            generate("PostgreSQL", f"{admin_url}/{name}", cases)
            rows += measure("PostgreSQL", f"{admin_url}/{name}")
        finally:
            if keep:
                print(f"kept: {admin_url}/{name}")
            else:
                subprocess.run(
                    ["psql", f"{admin_url}/postgres", "-qc", f"DROP DATABASE {name}"], check=True
                )
    else:
        print("PostgreSQL skipped: set BENCH_POSTGRES_URL (make bench does).", file=sys.stderr)
    print_table(rows, cases)


if __name__ == "__main__":
    main()
