"""Issue 12 (scale): the lean paths give the same answers as the general ones.

* the one-pass grouping of exact/right records equals the three-column groupby;
* the reader's skip of the whitespace trim only happens for columns with no whitespace at the
  edges, and the dated reader keeps ids and dates as Arrow text, not Python objects;
* the simulate path imports neither scipy.stats nor lifelines, and the closed forms it uses
  instead (t quantile of the CI, means, the normal paper) equal scipy.stats' values exactly;
* `cpo fit`'s grouped path on a dated log equals the unit-by-unit MLE, and the fit path never
  imports matplotlib.
"""

from __future__ import annotations

import ast
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


def _heavy_after(argv: list[str], heavy: str, preload: str = "") -> tuple[list[str], str]:
    """Run `cpo ARGV` in a fresh interpreter (after importing ``preload``, modules whose own
    imports count too); returns the loaded modules m for which the expression ``heavy`` holds,
    sorted, and the command's stdout. The command must succeed."""
    # main() ends the process itself once Python's exit handlers ran (cli.main._exit): one of
    # them lists the modules
    code = ("import atexit, sys\n"
            + (f"import {preload}\n" if preload else "")
            + "import cli.main\n"
            f"sys.argv = ['cpo', *{argv!r}]\n"
            f"atexit.register(lambda: print(repr(sorted(m for m in sys.modules if {heavy})), "
            "file=sys.stderr, flush=True))\n"
            "cli.main.main()\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return ast.literal_eval(out.stderr.strip().splitlines()[-1]), out.stdout


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
    heavy, stdout = _heavy_after(
        ["simulate", str(scenario), "--replications", "2", "--workers", "1", "--quiet", "--json"],
        "m in ('scipy.stats', 'scipy.optimize') or m.split('.')[0] in ('lifelines', 'matplotlib')",
        preload="fleet_models.runs.runner, fleet_models.runs.results, cli.render.compare, cli.fleet_cmd")
    assert heavy == []
    assert json.loads(stdout)  # the run did happen and wrote its summary


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
        "import fleet_models.runs.runner as runner\n"
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
    from fleet_models.runs.results import mean_ci95

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


def _weibull_row_mle(t: np.ndarray, failed: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Reference: the Weibull MLE of right-censored data, one term per unit (no grouping, no
    weights, no lifelines), from the textbook profile equation (Lawless, Statistical Models and
    Methods for Lifetime Data, 2nd ed., sec. 5.2.2): the shape k solves
    1/k + sum_failed ln t / r - sum t^k ln t / sum t^k = 0, then scale^k = sum t^k / r; solved
    with brentq to 1e-15. Its covariance is the inverse observed information, written out."""
    from scipy import optimize

    r = float(failed.sum())
    lt = np.log(t)
    mean_failed_log = float(lt[failed].sum()) / r

    def profile(k: float) -> float:
        w = np.exp(k * (lt - lt.max()))  # t^k scaled by max(t)^k: the ratio is what counts
        return 1.0 / k + mean_failed_log - float(np.dot(w, lt) / w.sum())

    k = optimize.brentq(profile, 0.05, 20.0, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    lam = float(np.exp(lt.max() + np.log(np.exp(k * (lt - lt.max())).sum() / r) / k))
    u, log_z = (t / lam) ** k, lt - np.log(lam)
    # second derivatives of ll = sum_failed (ln k - ln lam + (k-1) ln z) - sum z^k
    hkk = -r / k**2 - float(np.dot(u, log_z**2))
    hll = -(k / lam**2) * (u.sum() - r) - (k / lam) ** 2 * u.sum()
    hkl = (u.sum() - r) / lam + (k / lam) * float(np.dot(u, log_z))
    cov = np.linalg.inv(-np.array([[hkk, hkl], [hkl, hll]]))
    return k, lam, cov


def test_grouped_dated_fit_equals_unit_by_unit_mle(tmp_path):
    """`cpo fit`'s path on a dated log (read, one-pass grouping of day-resolution ages into
    weighted records, lifelines on those) gives the estimates, standard errors and log-likelihood
    of the plain unit-by-unit MLE.

    Tolerances: a fit is accepted when the Newton decrement g'H^-1 g is below DECREMENT_TOL =
    1e-9, i.e. within sqrt(1e-9) = 3.2e-5 standard errors of the exact optimum in each
    parameter; estimates are held to 5e-5 se. The standard errors come from the Hessian at that
    point (lifelines' automatic derivatives), held to 1e-4 relative (moving 3e-5 se changes the
    curvature by far less). The log-likelihood of the grouped records evaluated by the unit-by-unit
    formula at the fitted parameters is the same sum in another order: 1e-11 relative; and it is
    within DECREMENT_TOL / 2 (what one more Newton step could gain) of the reference's maximum."""
    from reliability.fitting import fit
    from reliability.likelihood import DECREMENT_TOL

    rng = np.random.default_rng(12)
    n, span = 20_000, 731  # installs over two years, observed to day `span`
    inst = rng.integers(0, span, n)
    fail = inst + np.floor(4e5 * rng.weibull(0.9, n) / 24.0).astype(np.int64)
    failed = fail <= span
    removed = np.where(failed, fail, 0)
    start = np.datetime64("2023-01-01")
    day = lambda d: (start + d.astype("timedelta64[D]")).astype(str)  # noqa: E731
    pd.DataFrame({"unit_id": [f"U{i}" for i in range(n)], "installed": day(inst),
                  "removed": np.where(failed, day(removed), ""), "failed": failed.astype(int),
                  }).to_csv(tmp_path / "log.csv", index=False)
    table = read_life_table(tmp_path / "log.csv", as_of=str(start + span))
    # the dead-on-arrival units as a share beside the law: the likelihood factorises, so the
    # Weibull is the unit-by-unit MLE of the others (reliability.doa)
    r = fit(table, "weibull", doa="atom")
    assert r.n_records < n / 5  # grouping did happen: a few thousand distinct records

    hours = (np.where(failed, removed, span) - inst) * 24.0
    keep = hours > 0  # dead on arrival (the atom) and zero exposure (no information): not in the law
    t, f = hours[keep], failed[keep]
    dead = int(((hours == 0) & failed).sum())
    assert r.n_units == keep.sum() + dead and r.n_failures == f.sum() + dead
    d = dead / (dead + keep.sum())  # the atom's share, and its binomial term in the log-likelihood
    atom_ll = dead * np.log(d) + keep.sum() * np.log1p(-d) if dead else 0.0
    k, lam, cov = _weibull_row_mle(t, f)
    se = np.sqrt(np.diag(cov))
    got = np.array([r.parameters["shape"], r.parameters["scale"]])
    assert np.all(np.abs(got - [k, lam]) <= 5e-5 * se), ((got - [k, lam]) / se)
    np.testing.assert_allclose(np.sqrt(np.diag(np.array(r.model.covariance))), se, rtol=1e-4)

    def row_ll(shape: float, scale: float) -> float:
        z = t / scale
        return float(np.sum(f * (np.log(shape / scale) + (shape - 1) * np.log(z))) - np.sum(z**shape))

    ll = r.log_likelihood - atom_ll
    assert ll == pytest.approx(row_ll(*got), rel=1e-11)
    rounding = 1e-12 * abs(ll)  # two sums of 20,000 terms in another order
    assert -rounding <= row_ll(k, lam) - ll <= DECREMENT_TOL / 2 + rounding


def test_fit_path_never_imports_matplotlib():
    """`cpo fit --json` (no --plot) imports neither matplotlib nor rich's table machinery: the
    fit path pays only for what it uses (plots import matplotlib when one is asked for)."""
    heavy, stdout = _heavy_after(
        ["fit", "failure_data/samples/pluggable_800g_dated.csv", "--as-of", "2025-12-31", "--json"],
        "m.split('.')[0] == 'matplotlib' or m == 'rich.table'")
    assert heavy == []
    assert json.loads(stdout)["distribution"] == "weibull"
