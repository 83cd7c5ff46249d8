"""Benchmark of the case import: `python bench/import_cases.py` (wired into `make bench`).

In a fresh SQLite file (migrated with `vigie migrate`), as a coordinator of a new organisation:

1. a fictional 100,000-row CSV (BENCH_IMPORT_ROWS) goes through the services the pages use:
   upload, preview (every row checked), then the import itself (every row checked again, then
   written in one transaction with the rights plans and the audit event). Seconds, rows/s and
   the importing process's peak memory are printed; it fails (exit 1) over 60 seconds;
2. the same file again: nothing is created, every row counted as already imported;
3. the same rows with one bad cell on line 73,422 (header on line 1): the import writes nothing
   and names that line, whether the bad row is caught by the preview or at the import;
4. unless BENCH_IMPORT_XLSX=0, the same rows as an XLSX workbook, under the same limit.

Environment: BENCH_IMPORT_ROWS (100000), BENCH_IMPORT_LIMIT_SECONDS (60), BENCH_IMPORT_XLSX (1),
BENCH_KEEP=1 keeps the database file (its path is printed).
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VIGIE = str(ROOT / ".venv" / "bin" / "vigie")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SETTINGS = "vigie.config.settings.dev"
BAD_LINE = 73_422


def bad_line(rows: int) -> int:
    """Line 73,422, or the middle of a smaller file (BENCH_IMPORT_ROWS below that)."""
    return BAD_LINE if rows >= BAD_LINE - 1 else rows // 2 + 1


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _check(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def measure_here(files: dict[str, str]) -> dict[str, Any]:
    """Runs in its own process against DATABASE_URL: imports the prepared files."""
    import django

    django.setup()
    from vigie.accounts.models import Organisation, User
    from vigie.audit.models import AuditAction, AuditEvent
    from vigie.audit.services import Actor
    from vigie.cases.models import Case
    from vigie.imports import services
    from vigie.imports.models import ImportJob, ImportStatus
    from vigie.rights.models import RightItem
    from vigie.tests_support.factories import OrganisationFactory
    from vigie.tests_support.factories_imports import CASES_MAPPING

    organisation: Organisation = OrganisationFactory(name="Bench import")  # type: ignore[assignment]
    user = User.objects.create(
        email="bench-import@example.org",
        full_name="Bench",
        role="coordinator",
        organisation=organisation,
    )
    actor = Actor(user)
    results: dict[str, Any] = {}

    def import_file(path: str) -> tuple[Any, Any, float, float]:
        content = Path(path).read_bytes()
        started = time.perf_counter()
        job = services.import_upload(
            actor=actor, target="cases", filename=Path(path).name, content=content
        )
        preview = services.import_preview(actor=actor, job=job, columns=CASES_MAPPING)
        previewed = time.perf_counter()
        if preview.ok:
            services.import_commit_request(actor=actor, job=job, enqueue=False)
            job = services.import_run(job)
        return job, preview, previewed - started, time.perf_counter() - started

    job, preview, preview_seconds, seconds = import_file(files["good"])
    _check(preview.ok, f"the good file has errors: {[str(e) for e in preview.errors[:3]]}")
    _check(job.status == ImportStatus.DONE, f"the import failed: {job.errors[:3]}")
    results["good"] = {
        "rows": preview.rows_total,
        "seconds": seconds,
        "preview_seconds": preview_seconds,
        "created": job.created_count,
        "cases": Case.objects.filter(organisation=organisation).count(),
        "rights": RightItem.objects.filter(case__organisation=organisation).count(),
        "audited": AuditEvent.objects.filter(action=AuditAction.CASE_IMPORT).count(),
        "peak_mib": _peak_mib(),
    }
    cases_before = results["good"]["cases"]

    again, again_preview, _preview_seconds, again_seconds = import_file(files["good"])
    results["again"] = {
        "seconds": again_seconds,
        "previous_import": again_preview.previous_import is not None,
        "duplicates": again.duplicate_count,
        "created": again.created_count,
        "cases": Case.objects.filter(organisation=organisation).count(),
    }

    # The bad file, caught by the preview, then forced through the import itself (as if the
    # file had changed after its preview): nothing written either way.
    bad, bad_preview, _seconds, _total = import_file(files["bad"])
    forced = ImportJob.objects.get(pk=bad.pk)
    ImportJob.objects.filter(pk=forced.pk).update(status=ImportStatus.QUEUED, error_count=0)
    forced.refresh_from_db()
    # A different file needs different identities: the bad file's rows are new ones.
    started = time.perf_counter()
    forced = services.import_run(forced)
    results["bad"] = {
        "preview_errors": [(e.line, e.column, str(e)) for e in bad_preview.errors],
        "run_status": forced.status,
        "run_errors": forced.errors,
        "run_seconds": time.perf_counter() - started,
        "cases": Case.objects.filter(organisation=organisation).count(),
        "cases_before": cases_before,
    }
    if "xlsx" in files:
        Case.objects.all().delete()
        from vigie.imports.models import ImportedRecord

        ImportedRecord.objects.all().delete()
        xjob, _xpreview, xpreview_seconds, xseconds = import_file(files["xlsx"])
        results["xlsx"] = {
            "seconds": xseconds,
            "preview_seconds": xpreview_seconds,
            "status": xjob.status,
            "created": xjob.created_count,
        }
    return results


def _files(folder: Path, rows: int, xlsx: bool) -> dict[str, str]:
    from vigie.tests_support.factories_imports import case_rows, csv_bytes, xlsx_bytes

    good = list(case_rows(rows))
    # Different identities for the bad file (its own references), one bad birth date in it.
    bad = list(case_rows(rows, start=rows))
    bad[bad_line(rows) - 2][3] = "31/02/2010"
    files = {"good": folder / "cases.csv", "bad": folder / "cases-bad.csv"}
    files["good"].write_bytes(csv_bytes(good))
    files["bad"].write_bytes(csv_bytes(bad))
    if xlsx:
        files["xlsx"] = folder / "cases.xlsx"
        files["xlsx"].write_bytes(xlsx_bytes(good))
    return {name: str(path) for name, path in files.items()}


def main() -> None:
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    limit = float(os.environ.get("BENCH_IMPORT_LIMIT_SECONDS", "60"))
    xlsx = os.environ.get("BENCH_IMPORT_XLSX", "1") != "0"
    keep = os.environ.get("BENCH_KEEP") == "1"
    folder = Path(tempfile.mkdtemp(prefix="vigie-bench-import-"))
    database = folder / "import.sqlite3"
    env = _env(f"sqlite:///{database}")
    subprocess.run([VIGIE, "migrate", "-v", "0"], env=env, check=True)
    files = _files(folder, rows, xlsx)
    output = subprocess.run(
        [PYTHON, __file__, "--measure", json.dumps(files)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    results = json.loads(output.strip().splitlines()[-1])
    good, again, bad = results["good"], results["again"], results["bad"]
    print(
        f"import cases (SQLite) {good['rows']:>9,} rows  {good['seconds']:6.1f} s "
        f"(preview {good['preview_seconds']:.1f} s)  {good['rows'] / good['seconds']:8,.0f} rows/s"
        f"  peak RSS {good['peak_mib']:6.0f} MiB  rights items {good['rights']:,}",
        flush=True,
    )
    print(
        f"import again           {again['seconds']:6.1f} s  created {again['created']}, "
        f"already imported {again['duplicates']:,}, same file flagged: {again['previous_import']}"
    )
    if "xlsx" in results:
        x = results["xlsx"]
        print(
            f"import cases (XLSX)    {x['seconds']:6.1f} s (preview {x['preview_seconds']:.1f} s)"
            f"  {rows / x['seconds']:8,.0f} rows/s  {x['status']}, created {x['created']:,}"
        )
    line = bad_line(rows)
    named = [message for at, _column, message in bad["preview_errors"] if at == line]
    print(f"bad row: preview says {named[:1]}; import {bad['run_status']}: {bad['run_errors'][:1]}")
    _check(good["created"] == rows and good["cases"] == rows, "not every row was imported once")
    _check(good["audited"] == 1, "the import was not audited once")
    _check(again["created"] == 0 and again["cases"] == rows, "a re-import created files")
    _check(again["duplicates"] == rows and again["previous_import"], "re-import not recognised")
    _check(len(bad["preview_errors"]) == 1 and bool(named), "the bad row was not named")
    _check(bad["run_status"] == "failed", "the bad file was imported")
    _check(bad["run_errors"][0]["line"] == line, "the import did not name the bad row")
    _check(bad["cases"] == bad["cases_before"], "the bad file wrote something")
    if keep:
        print(f"kept: {database}")
    else:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    _check(good["seconds"] <= limit, f"{good['seconds']:.1f} s is over {limit:g} s")
    if "xlsx" in results:
        xlsx_seconds = results["xlsx"]["seconds"]
        _check(xlsx_seconds <= limit, f"XLSX: {xlsx_seconds:.1f} s is over {limit:g} s")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(measure_here(json.loads(sys.argv[2]))))
    else:
        main()
