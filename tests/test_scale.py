"""Issue 12 (scale): the lean paths give the same answers as the general ones.

* the one-pass grouping of exact/right records equals the three-column groupby;
* the reader's skip of the whitespace trim only happens for columns with no whitespace at the
  edges, and the dated reader keeps ids and dates as Arrow text, not Python objects;
* the simulate path imports neither scipy.stats nor lifelines, and the closed forms it uses
  instead (t quantile of the CI, means, the normal paper) equal scipy.stats' values exactly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from scipy import stats

from failure_data._columns import _all_distinct, _has_edges
from failure_data.readers import read_life_table
from failure_data.table import LifeTable
from reliability.families import FAMILIES, NORMAL_PAPER
from reliability.records import _group_exact_right, group_records

ROOT = Path(__file__).resolve().parent.parent


def _groupby(table: LifeTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The general grouping (pandas groupby on the three keys), the reference."""
    g = table.data.groupby(["lower", "upper", "entry"], sort=True)["count"].sum()
    idx = g.index
    return (idx.get_level_values(0).to_numpy(float), idx.get_level_values(1).to_numpy(float),
            idx.get_level_values(2).to_numpy(float), g.to_numpy(float))


@pytest.mark.parametrize("n", [1, 2, 7, 3000])
def test_one_pass_grouping_equals_groupby(n):
    rng = np.random.default_rng(n)
    # few distinct ages, so exact and censored records share ages (the ordering case)
    ages = rng.integers(1, 40, n).astype(float) * 24.0
    table = LifeTable.from_durations(ages, rng.random(n) < 0.4, count=rng.integers(1, 5, n))
    d = table.data
    fast = _group_exact_right(*(d[c].to_numpy() for c in ("lower", "upper", "entry", "count")))
    assert fast is not None
    for got, want in zip((fast.lower, fast.upper, fast.entry, fast.weight), _groupby(table), strict=True):
        np.testing.assert_array_equal(got, want)


def test_one_pass_grouping_declines_other_records():
    late = LifeTable.from_durations([10.0, 20.0], [True, False], entry=[1.0, 0.0])
    interval = LifeTable.from_intervals([0.0, 5.0], [10.0, np.nan])
    for table in (late, interval):
        d = table.data
        assert _group_exact_right(*(d[c].to_numpy() for c in ("lower", "upper", "entry", "count"))) is None
        # group_records then takes the general path, which is the reference itself
        np.testing.assert_array_equal(group_records(table).weight, _groupby(table)[3])


@pytest.mark.parametrize("values, edges", [
    (["a", "bc", ""], False),
    ([" a", "b"], True),
    (["a", "b\t"], True),
    (["a", "b\r"], True),
    (["a\u00a0"], True),  # a no-break space: not ASCII, so the full trim decides
    (["é"], True),  # non-ASCII first byte: conservative
    ([None, "x"], False),
])
def test_edges_seen_in_every_chunk_and_slice(values, edges):
    whole = pa.chunked_array([["zz"], values], pa.string())
    assert _has_edges(whole.slice(1)) is edges  # the second chunk, and a slice's offset
    assert _has_edges(pa.chunked_array([["x"] + values], pa.string()).slice(1)) is edges


@pytest.mark.parametrize("ids, groups, distinct", [
    (["a", "b", "c"], None, True),  # sorted: one comparison each
    (["c", "a", "b"], None, True),  # unsorted: counted
    (["a", "b", "a"], None, False),
    (["a", "b", "a", "b"], ["x", "x", "y", "y"], True),  # sorted within blocks of one group
    (["a", "b", "c", "a"], ["y", "y", "x", "y"], False),  # y in two blocks, a twice in y
    (["a", "c", "b"], ["y", "x", "y"], True),  # y in two blocks, but no repeat
    (["a", "a"], ["x", "y"], True),
    (["a", "a"], ["x", "x"], False),
])
def test_distinct_ids_fast_and_slow(ids, groups, distinct):
    def chunked(v):  # two chunks: the check must see across them
        return pa.chunked_array([v[:1], v[1:]], pa.string())

    assert _all_distinct(chunked(ids), None if groups is None else chunked(groups)) is distinct


def test_padded_cells_still_read(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("unit_id,installed,removed,failed\n a ,2024-01-01,2024-01-11, 1\nb, 2024-01-01 ,,0\n")
    t = read_life_table(p, as_of="2024-02-01")
    assert t.data["unit_id"].tolist() == [" a ", "b"]  # covariates are kept as written
    assert t.data["kind"].tolist() == ["exact", "right"]  # " 1" is read as 1
    assert t.data["installed"].tolist() == ["2024-01-01", "2024-01-01"]
    assert t.data["lower"].tolist() == [240.0, 31 * 24.0]  # 10 days; 31 days to the as-of date


def test_dated_reader_keeps_text_in_arrow(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("unit_id,installed,removed,failed\nu1,2024-01-01,2024-01-11,1\nu2,2024-01-05,,0\n")
    d = read_life_table(p, as_of="2024-02-01").data
    for col in ("unit_id", "installed"):
        assert d[col].dtype == pd.StringDtype("pyarrow"), col  # no Python object per cell


def test_simulate_path_imports_neither_scipy_stats_nor_lifelines(tmp_path):
    scenario = tmp_path / "tiny.toml"
    scenario.write_text('name = "tiny"\nhorizon_years = 1\nreplications = 2\nseed = 1\n'
                        '[fleet]\nswitches = 2\nports_per_switch = 128\n'
                        '[[architectures]]\nbase = "pluggable-dsp"\n[[architectures]]\nbase = "cpo-els"\n')
    code = (
        "import sys\n"
        "import fleet_models.runner, fleet_models.results, fleet_models.compare, cli.fleet_cmd\n"
        "import cli.main\n"
        f"sys.argv = ['cpo', 'simulate', {str(scenario)!r}, '--replications', '2', '--workers', '1',"
        " '--quiet', '--json']\n"
        "try:\n    cli.main.main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "heavy = sorted(m for m in sys.modules if m in ('scipy.stats', 'scipy.optimize')"
        " or m.split('.')[0] in ('lifelines', 'matplotlib'))\n"
        "print(repr(heavy), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(out.stdout)  # the run did happen and wrote its summary


@pytest.mark.parametrize("command, engine", [("simulate", "auto"), ("compare", "auto"),
                                             ("simulate", "des")])
def test_default_run_start_up_imports_no_pandas(command, engine):
    # what the default `cpo simulate` / `cpo compare` imports before its first replication loads
    # no pandas nor pyarrow (they come when the result frame is built, after the replications),
    # nor scipy.stats, lifelines, matplotlib, and with the SimPy engine no numba; the engine's
    # first simulate() call says which were loaded and ends the process
    # (benchmarks/bench_startup.py times the same start-up)
    heavy = ("pandas", "pyarrow", "scipy.stats", "lifelines", "matplotlib") + (
        ("numba",) if engine == "des" else ())
    code = (
        "import os, sys\n"
        "import fleet_models.runner as runner\n"
        "get_engine = runner.get_engine\n"
        "class First:\n"
        "    def __init__(self, name):\n"
        "        self.engine = get_engine(name)\n"
        "    def simulate(self, plan, replication):\n"
        f"        print(sorted(m for m in {heavy!r} if m in sys.modules), flush=True)\n"
        "        os._exit(0)\n"
        "runner.get_engine = First\n"
        "import cli.main\n"
        f"sys.argv = ['cpo', {command!r}, '--workers', '1', '--quiet', '--engine', {engine!r}]\n"
        "cli.main.main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout


def test_ci_quantile_is_scipy_t_ppf():
    from fleet_models.results import mean_ci95

    rng = np.random.default_rng(7)
    for n in (2, 3, 5, 30, 200, 1000):
        x = rng.normal(10.0, 2.0, n)
        mean, lo, hi, sd = mean_ci95(x)
        # reference: the textbook interval with scipy.stats' Student-t quantile
        half = float(stats.t.ppf(0.975, n - 1)) * float(x.std(ddof=1)) / np.sqrt(n)
        assert (lo, hi) == (mean - half, mean + half)


@pytest.mark.parametrize("shape", [0.3, 0.9, 1.0, 2.5])
@pytest.mark.parametrize("scale", [3.7, 4e5, 2.2e6])
def test_closed_form_means_are_scipys(shape, scale):
    # reference: the frozen scipy.stats law's mean (what Family.mean returned before)
    for name, p in (("weibull", {"shape": shape, "scale": scale}), ("exponential", {"scale": scale}),
                    ("lognormal", {"mu": np.log(scale), "sigma": shape})):
        fam = FAMILIES[name]
        assert fam.mean(p) == float(fam.scipy(p).mean()), name


def test_normal_paper_is_scipys_norm():
    q = np.linspace(0.0, 1.0, 1001)
    z = np.linspace(-9.0, 9.0, 1001)
    np.testing.assert_array_equal(NORMAL_PAPER.to_y(q), stats.norm.ppf(q))
    np.testing.assert_array_equal(NORMAL_PAPER.from_y(z), stats.norm.cdf(z))
