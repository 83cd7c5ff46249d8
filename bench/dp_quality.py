"""Quality and speed of Vigie's differentially private releases against two baselines.

    .venv/bin/python bench/dp_quality.py --cases 100000 [--pacsynth-timeout 900]

On the demo generator's files (those `make run` loads, encoded without a database), all one-way
and two-way tables over the ten BENCH_ATTRIBUTES are released at ε = 1, δ = 1e-6 by:

- Vigie: vigie.monitoring.privacy.release_tables (one Gaussian mechanism on the 45 two-way tables,
  consistent integer post-processing);
- Laplace: each of the 55 tables released alone with OpenDP's discrete Laplace mechanism at ε/55,
  negative counts set to zero;
- pac-synth: Microsoft's DP aggregate-seeded synthesizer (PyPI pac-synth 0.0.8, installed here if
  missing: a benchmark-only dependency) at the same ε and δ and its default reporting length (3),
  the tables counted on its synthetic records. It runs in a subprocess stopped after
  --pacsynth-timeout seconds.

The quality measure (issue 7) is the mean relative error |published - true| / true over two-way
cells whose true count is at least 11. Vigie passes when it is at most half of the better
baseline's and, when pac-synth finished, Vigie took no longer than pac-synth. Exit status 1 on
failure.
"""

import argparse
import importlib.util
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EPSILON = 1.0
DELTA = 1e-6
MIN_TRUE_COUNT = 11  # below this a published cell shows "< 11": not part of the measure
PACSYNTH = "pac-synth==0.0.8"
SETTINGS = "vigie.config.settings.dev"

Table = tuple[int, ...]


@dataclass
class Outcome:
    method: str
    seconds: float | None  # None: did not finish
    tables: dict[Table, np.ndarray] | None
    note: str = ""


def all_tables(attributes: int) -> list[Table]:
    return [(a,) for a in range(attributes)] + list(itertools.combinations(range(attributes), 2))


def count(codes: np.ndarray, cardinalities: tuple[int, ...], table: Table) -> np.ndarray:
    """Exact counts; records with a missing value (-1, pac-synth's empty cells) are left out."""
    columns = codes[:, table].astype(np.int64)
    kept = columns[(columns >= 0).all(axis=1)]
    shape = tuple(cardinalities[a] for a in table)
    flat = np.ravel_multi_index(tuple(kept.T), shape) if len(kept) else np.zeros(0, np.int64)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)


def run_vigie(codes: np.ndarray, cardinalities: tuple[int, ...], tables: list[Table]) -> Outcome:
    from vigie.monitoring.privacy.engine import release_tables

    started = time.perf_counter()
    result = release_tables(codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA)
    seconds = time.perf_counter() - started
    published = {table.attributes: table.counts for table in result.tables}
    note = f"sigma {result.sigma:.1f}, {result.measured_tables} tables measured"
    return Outcome("Vigie (Gaussian + consistency)", seconds, published, note)


def run_laplace(codes: np.ndarray, cardinalities: tuple[int, ...], tables: list[Table]) -> Outcome:
    from vigie.monitoring.privacy.mechanism import laplace_counts

    started = time.perf_counter()
    published = {
        table: np.maximum(
            laplace_counts(count(codes, cardinalities, table), epsilon=EPSILON / len(tables)), 0
        )
        for table in tables
    }
    seconds = time.perf_counter() - started
    return Outcome(f"Laplace per table (ε/{len(tables)})", seconds, published)


def ensure_pacsynth() -> None:
    if importlib.util.find_spec("pacsynth") is None:
        pip = ROOT / ".venv" / "bin" / "pip"
        command = [str(pip)] if pip.exists() else [sys.executable, "-m", "pip"]
        subprocess.run([*command, "install", "--quiet", PACSYNTH], check=True)


def run_pacsynth(
    codes: np.ndarray, cardinalities: tuple[int, ...], tables: list[Table], timeout: float
) -> Outcome:
    method = "pac-synth aggregate-seeded"
    ensure_pacsynth()
    with tempfile.TemporaryDirectory() as folder:
        source, synthetic = Path(folder) / "codes.npy", Path(folder) / "synthetic.npy"
        np.save(source, codes)
        command = [sys.executable, __file__, "--pacsynth-child", str(source), str(synthetic)]
        try:
            child = subprocess.run(
                command, check=True, timeout=timeout, capture_output=True, text=True
            )
        except subprocess.TimeoutExpired:
            return Outcome(method, None, None, f"stopped at the {timeout:.0f} s cap")
        report = json.loads(child.stdout.strip().splitlines()[-1])
        rows = np.load(synthetic)
    published = {table: count(rows, cardinalities, table) for table in tables}
    return Outcome(method, report["seconds"], published, f"{len(rows)} synthetic records")


def pacsynth_child(source: Path, synthetic: Path) -> None:
    """In the subprocess: synthesise, and write the synthetic records as codes (-1: empty)."""
    import pacsynth

    codes = np.load(source)
    # pac-synth ignores empty strings and "0" as "no value": every value gets a letter prefix.
    headers = [f"a{column}" for column in range(codes.shape[1])]
    raw = [headers] + [[f"v{code}" for code in row] for row in codes.tolist()]
    started = time.perf_counter()  # from pac-synth's own input format
    dataset = pacsynth.Dataset(raw)
    parameters = pacsynth.DpAggregateSeededParametersBuilder().epsilon(EPSILON).delta(DELTA).build()
    synthesizer = pacsynth.DpAggregateSeededSynthesizer(parameters)
    synthesizer.fit(dataset)
    records = synthesizer.sample()
    seconds = time.perf_counter() - started
    positions = {name: index for index, name in enumerate(records[0])}
    order = [positions[header] for header in headers]
    decoded = np.array(
        [[int(row[i][1:]) if row[i] else -1 for i in order] for row in records[1:]],
        dtype=np.int64,
    ).reshape(-1, len(headers))
    np.save(synthetic, decoded)
    print(json.dumps({"seconds": seconds}))


def mean_relative_error(
    outcome: Outcome, truth: dict[Table, np.ndarray], tables: list[Table]
) -> tuple[float, int]:
    if outcome.tables is None:
        return float("nan"), 0
    errors = []
    for table in tables:
        true = truth[table]
        kept = true >= MIN_TRUE_COUNT
        published = outcome.tables[table].astype(np.float64)
        errors.append(np.abs(published[kept] - true[kept]) / true[kept])
    joined = np.concatenate(errors)
    return float(joined.mean()), int(joined.size)


def load_data(cases: int, seed: int) -> tuple[np.ndarray, tuple[int, ...], tuple[str, ...], str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from vigie.monitoring.dataset import BENCH_ATTRIBUTES, demo_microdata

    microdata = demo_microdata(cases, seed=seed, names=BENCH_ATTRIBUTES)
    return microdata.codes, microdata.cardinalities, microdata.names, "demo_microdata"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pacsynth-timeout", type=float, default=900.0)
    parser.add_argument("--pacsynth-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.pacsynth_child:
        pacsynth_child(*arguments.pacsynth_child)
        return 0

    started = time.perf_counter()
    codes, cardinalities, names, source = load_data(arguments.cases, arguments.seed)
    print(
        f"{len(codes)} cases from {source} in {time.perf_counter() - started:.0f} s; "
        f"attributes: {', '.join(f'{n} ({c})' for n, c in zip(names, cardinalities, strict=True))}"
    )
    tables = all_tables(len(cardinalities))
    one_way: list[Table] = [table for table in tables if len(table) == 1]
    two_way: list[Table] = [table for table in tables if len(table) == 2]
    truth = {table: count(codes, cardinalities, table) for table in tables}

    vigie = run_vigie(codes, cardinalities, tables)
    baselines = [
        run_laplace(codes, cardinalities, tables),
        run_pacsynth(codes, cardinalities, tables, arguments.pacsynth_timeout),
    ]
    scores = {
        outcome.method: mean_relative_error(outcome, truth, two_way)
        for outcome in [vigie, *baselines]
    }
    finished = [outcome for outcome in baselines if outcome.tables is not None]
    best = min(scores[outcome.method][0] for outcome in finished)
    quality_pass = scores[vigie.method][0] <= best / 2

    print(
        f"\nε = {EPSILON}, δ = {DELTA}, {len(one_way)} one-way + {len(two_way)} two-way tables, "
        f"error over two-way cells with true count ≥ {MIN_TRUE_COUNT}\n"
    )
    header = f"{'method':<34} {'seconds':>9} {'2-way MRE':>10} {'cells':>6} {'÷ best':>7} "
    print(header + f"{'1-way MRE':>10}  verdict / note")
    for outcome in [vigie, *baselines]:
        mre, cells = scores[outcome.method]
        seconds = f"{outcome.seconds:9.2f}" if outcome.seconds is not None else f"{'> cap':>9}"
        one_way_mre, _ = mean_relative_error(outcome, truth, one_way)
        verdict = ("PASS" if quality_pass else "FAIL") if outcome is vigie else ""
        note = "  ".join(part for part in (verdict, outcome.note) if part)
        print(
            f"{outcome.method:<34} {seconds} {mre:10.4f} {cells:6d} {mre / best:7.2f} "
            f"{one_way_mre:10.4f}  {note}"
        )

    pacsynth = baselines[1]
    time_pass = pacsynth.seconds is None or (vigie.seconds or 0.0) <= pacsynth.seconds
    print(
        f"\nquality: Vigie's error ≤ half the best baseline's ({best / 2:.4f}): "
        f"{'PASS' if quality_pass else 'FAIL'}"
    )
    print(
        "time: Vigie no slower than pac-synth: "
        + ("PASS" if time_pass else "FAIL")
        + (" (pac-synth stopped at the cap)" if pacsynth.seconds is None else "")
    )
    return 0 if quality_pass and time_pass else 1


if __name__ == "__main__":
    sys.exit(main())
