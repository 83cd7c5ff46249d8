"""Benchmarks: `make bench` (100,000 cases) or `make bench BENCH_CASES=1000000`.

Demo-data generation on a fresh SQLite file and a fresh PostgreSQL database (when
BENCH_POSTGRES_URL points to a server that lets the role create databases): migrate, then
`vigie demo --cases N`, timed, with the peak memory of the generating process.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIGIE = str(ROOT / ".venv" / "bin" / "vigie")


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([VIGIE, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_child_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_demo(label: str, database_url: str, cases: int) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "vigie.config.settings.dev",
    }
    run(["migrate", "-v", "0"], env)
    seconds = run(["demo", "--cases", str(cases), "--seed", "1"], env)
    rate = cases / seconds
    print(
        f"demo {label:<10} {cases:>9,} cases  {seconds:8.1f} s  {rate:9,.0f} cases/s  "
        f"peak RSS {peak_child_rss_mib():7.0f} MiB"
    )


def main() -> None:
    cases = int(os.environ.get("BENCH_CASES", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        bench_demo("SQLite", f"sqlite:///{tmp}/bench.sqlite3", cases)
    postgres_url = os.environ.get("BENCH_POSTGRES_URL")
    if postgres_url:
        admin_url, _, _name = postgres_url.rpartition("/")
        name = f"vigie_bench_{os.getpid()}"
        subprocess.run(
            ["psql", f"{admin_url}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True
        )
        try:
            bench_demo("PostgreSQL", f"{admin_url}/{name}", cases)
        finally:
            subprocess.run(
                ["psql", f"{admin_url}/postgres", "-qc", f"DROP DATABASE {name}"], check=True
            )
    else:
        print("PostgreSQL skipped: set BENCH_POSTGRES_URL (make bench does).", file=sys.stderr)


if __name__ == "__main__":
    main()
