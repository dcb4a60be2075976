"""Memory that does not grow with the events: a run keeps each replication's ledger as the sums its
TCO needs (fleet_models.runs.tco.reduce_ledger) and streams its rows. The TCO of those sums is held to
the TCO priced event by event, as fleet_models.runs.tco did before the reduction (written out below),
to floating-point tolerance; the rows, to the rows of a run that kept everything."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import default_scenario
from fleet_models.decisions.evaluator import Evaluator
from fleet_models.decisions.sweep import sweep
from fleet_models.engines.fabric import fleet_gpus
from fleet_models.errors import FleetError
from fleet_models.model.ledger import MONTH_HOURS, EventKind, Ledger, LedgerSums, Sum
from fleet_models.model.spec import AfterSupport, Homing, Repair
from fleet_models.runs.results import FleetResult
from fleet_models.runs.runner import replay, run
from fleet_models.runs.tco import capex, discount, discount_rate_per_hour, energy, switch_bill
from reliability.models import LifeModel


def priced_event_by_event(scenario, arch, ledger: Ledger) -> dict[str, float]:
    """The reference: every event priced and discounted at its own time (fleet_models.runs.tco's
    replication_tco before ledgers were reduced to sums, unchanged)."""
    c, w = scenario.costs, scenario.workload
    delta = discount_rate_per_hour(c.discount_rate)
    d = discount(ledger.time, delta)
    kind = ledger.kind
    prices = np.array([comp.price_usd for comp in arch.components] + [0.0])  # -1 -> 0
    swap = kind == EventKind.SWAP
    ntf = kind == EventKind.NTF_SWAP
    repl = (kind == EventKind.UNPLANNED_REPLACEMENT) | (kind == EventKind.PLANNED_REPLACEMENT)
    labour = ledger.hours * c.technician_usd_per_hour
    # hardware is paid for after the support period: a swap's part, and what a replacement
    # replaces (the switch and the units that do not move), bought or depot-repaired
    sup = scenario.support
    end = sup.years * 8766.0
    paid = ledger.time >= (end if end < scenario.horizon_hours else math.inf)
    kept = sum(k.price_usd * (k.per_switch + k.spare_units) for k in arch.components
               if k.repair is Repair.SWAP and k.moves_on_replacement)
    new_switch = (switch_bill(arch) - kept) * (1.0 if sup.after is AfterSupport.BUY else sup.depot_fraction)
    maintenance = float(np.sum(d[swap] * (np.where(paid[swap], prices[ledger.component[swap]], 0.0)
                                          + labour[swap] + c.service_event_usd))
                        + np.sum(d[ntf] * (labour[ntf] + c.service_event_usd))
                        + np.sum(d[repl] * (np.where(paid[repl], new_switch, 0.0) + labour[repl]
                                            + c.service_event_usd)))
    months = ledger.lost_by_month
    mid = (np.arange(months.size) + 0.5) * MONTH_HOURS
    mid[-1] = min(mid[-1], 0.5 * ((months.size - 1) * MONTH_HOURS + scenario.horizon_hours))
    # per GPU of the job an interruption or a drain hit (each event carries its job's GPUs)
    per_interrupt = w.checkpoint_interval_hours / 2.0 + w.restart_hours
    per_drain = w.restart_hours if scenario.fabric.homing is Homing.SINGLE else 0.0
    interrupt = kind == EventKind.INTERRUPTION
    drain = kind == EventKind.DRAIN
    g = ledger.gpus
    downtime = c.gpu_hour_usd * float(
        np.sum(months * discount(mid, delta))
        + per_interrupt * np.sum(d[interrupt] * g[interrupt]) + per_drain * np.sum(d[drain] * g[drain]))
    lost = float(months.sum() + per_interrupt * g[interrupt].sum() + per_drain * g[drain].sum())
    fleet_gpu_hours = fleet_gpus(scenario, arch) * scenario.horizon_hours
    h = min(sup.years * 8766.0, scenario.horizon_hours)  # the fee: a flow until the period's end
    fee = scenario.fleet.switches * sup.fee_fraction * switch_bill(arch) / 8766.0 * (
        -math.expm1(-delta * h) / delta if delta > 0 else h)
    parts = {"capex": capex(scenario, arch), "energy": energy(scenario, arch),
             "maintenance": maintenance, "support": fee, "downtime": downtime}
    return {**parts, "tco_usd": sum(parts.values()), "gpu_hours_lost": lost,
            "goodput": 1.0 - lost / fleet_gpu_hours if fleet_gpu_hours > 0 else math.nan}


def _small(**policy):
    """The default scenario's four architectures on 4 switches for 2 years: swaps with and without
    trouble found, switch replacements, job interruptions (and planned ones with a window); a
    support period of one year, so hardware is the vendor's for half the run and bought after."""
    s = default_scenario()
    return dataclasses.replace(s, fleet=dataclasses.replace(s.fleet, switches=4),
                               horizon_hours=2 * 8766.0, replications=5, seed=21,
                               policy=dataclasses.replace(s.policy, **policy),
                               support=dataclasses.replace(s.support, years=1.0))


@pytest.fixture(scope="module")
def windowed():
    # an engine's 4 ports do not reach k = 8, so its replacement waits for the window (planned);
    # a switch board at 20,000 FIT (0.18 a switch-year) takes every port down at once, unplanned
    s = _small(replace_switch_when_ports_down=8, maintenance_window_days=30.0)
    board = LifeModel.from_fit_rate(20_000.0)
    return dataclasses.replace(s, architectures=tuple(dataclasses.replace(a, components=tuple(
        dataclasses.replace(c, life=board) if c.name == "switch-board" else c for c in a.components))
        for a in s.architectures))


@pytest.mark.parametrize("scenario", ["default", "window", "uncertain"])
def test_tco_of_the_sums_equals_tco_priced_event_by_event(scenario, windowed):
    sc = {"default": _small(), "window": windowed,
          "uncertain": dataclasses.replace(_small(), uncertainty=True)}[scenario]
    kept = run(sc, workers=1, dated_events=True)
    summed = run(sc, workers=2)
    assert all(isinstance(v, LedgerSums) and v.sums.size == Sum.SIZE for v in summed.ledgers.values())
    assert all(isinstance(v, Ledger) for v in kept.ledgers.values())
    kinds = {int(k) for led in kept.ledgers.values() for k in led.kind}
    assert {EventKind.SWAP, EventKind.UNPLANNED_REPLACEMENT, EventKind.INTERRUPTION} <= kinds
    from fleet_models.scenario.inputs import draws
    from fleet_models.scenario.variants import with_values

    def drawn(i):  # replication i's scenario, drawn here independently of the run's own Draws
        return with_values(sc, draws(sc, i, sc.seed), round_whole=True) if sc.uncertainty else sc

    ref = pd.DataFrame([{"replication": i, "architecture": name,
                         **priced_event_by_event(drawn(i), next(a for a in drawn(i).architectures
                                                                if a.name == name), led)}
                        for (i, name), led in kept.ledgers.items()])
    ref = ref.set_index(["replication", "architecture"]).sort_index()
    for res in (kept, summed):
        got = res.tco.set_index(["replication", "architecture"]).sort_index()
        pd.testing.assert_frame_equal(got, ref, check_exact=False, rtol=1e-12, atol=0)
    pd.testing.assert_frame_equal(kept.replications, summed.replications, check_exact=True)
    if scenario == "window":
        assert {EventKind.PLANNED_REPLACEMENT, EventKind.DRAIN, EventKind.NTF_SWAP} <= kinds


def test_sums_refuse_another_discount_rate_and_the_evaluator_re_simulates_for_one():
    sc = _small()
    res = run(sc, workers=1, replications=2)
    led = res.ledgers[(0, "cpo-els")]
    other = dataclasses.replace(sc, costs=dataclasses.replace(sc.costs, discount_rate=0.03))
    from fleet_models.runs.tco import replication_tco

    with pytest.raises(FleetError, match="discount rate of 0.08 and cannot be priced at 0.03"):
        replication_tco(other, other.architectures[3], led)
    ev = Evaluator(replications=2, workers=1)
    frame = sweep(sc, {"costs.discount_rate": [0.08, 0.03]}, ev)
    assert ev.runs == 8  # 4 architectures x 2 rates: the rate is in the sums
    direct = run(other, workers=1, replications=2)
    at3 = frame[frame["costs.discount_rate"] == 0.03].set_index("architecture")["tco_mean"]
    means = direct.tco.groupby("architecture")["tco_usd"].mean()
    for arch, v in means.items():
        assert at3[arch] == pytest.approx(v, rel=1e-12)


def test_rows_stream_in_final_order_a_block_at_a_time():
    sc = dataclasses.replace(_small(), replications=9)
    blocks = []
    res = run(sc, workers=2, rows_out=blocks.append)
    assert len(blocks) > 1  # streamed, not written once at the end
    pd.testing.assert_frame_equal(pd.concat(blocks, ignore_index=True), res.replications,
                                  check_exact=True)


def test_dated_ledger_of_one_replication_is_simulated_again_identically():
    sc = _small()
    kept = run(sc, workers=1, replications=3, dated_events=True)
    summed = run(sc, workers=1, replications=3)
    a, b = replay(kept, 2, "cpo-els"), replay(summed, 2, "cpo-els")
    for f in ("time", "kind", "component", "hours", "down_by_month", "lost_by_month"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_simulate_out_writes_the_rows_it_streamed(tmp_path):
    out = tmp_path / "res"
    r = CliRunner().invoke(app, ["simulate", "-n", "3", "-w", "2", "--quiet", "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = pd.read_csv(out / "replications.csv")
    assert list(rows["replication"]) == [0] * 4 + [1] * 4 + [2] * 4
    assert sorted(p.name for p in out.iterdir()) == ["ledgers.npz", "replications.csv", "run.json",
                                                     "scenario.toml", "summary.json"]


def test_a_merge_keeps_which_engine_ran_so_a_replication_is_simulated_again_by_it():
    from fleet_models.scenario.variants import only

    sc = only(_small(), ("pluggable-dsp", "cpo-els"))
    res = run(sc, workers=1, replications=2, engine="des")
    ev = Evaluator(replications=2, workers=1)
    ev.reuse(dataclasses.replace(res, engine="fast"))  # as if the fast engine had run it
    assert ev.result(sc).engine == "fast" and ev.runs == 0
    parts = [run(only(sc, (name,)), workers=1, replications=2, engine="des")
             for name in ("pluggable-dsp", "cpo-els")]
    mixed = FleetResult.merge(sc, [parts[0], dataclasses.replace(parts[1], engine="fast")])
    assert mixed.engine == "mixed"
    with pytest.raises(FleetError, match="cannot be replayed"):
        replay(mixed, 1, "cpo-els")
    assert replay(FleetResult.merge(sc, parts), 1, "cpo-els").time.size
