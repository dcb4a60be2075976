"""Where replications run does not change them: this process, 2 local processes and a Dask cluster
(an in-process LocalCluster, so the test takes seconds) give bit-identical results, for a run and
for a sweep's points; a bad or lost cluster is one clear message."""

from __future__ import annotations

import dataclasses
import json
import logging
from concurrent.futures import Future

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import default_scenario
from fleet_models.decisions.evaluator import Evaluator
from fleet_models.decisions.sweep import sweep
from fleet_models.runs.parallel import ClusterError, Workers, open_workers
from fleet_models.runs.runner import run

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def small():
    """Pluggable-dsp and cpo-els of the default scenario on 4 switches for 2 years, 6 replications
    (the SimPy engine: jobs under the [fabric] and NTF swaps are in)."""
    s = default_scenario()
    archs = tuple(a for a in s.architectures if a.name in ("pluggable-dsp", "cpo-els"))
    return dataclasses.replace(s, architectures=archs, fleet=dataclasses.replace(s.fleet, switches=4),
                               horizon_hours=2 * 8766.0, replications=6, seed=11)


@pytest.fixture(scope="module")
def cluster():
    """A Dask cluster in this process (one worker with 2 threads, no dashboard) that talks TCP, as
    a remote one does."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None, silence_logs=logging.ERROR) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as c:
        yield c


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.replications, b.replications, check_exact=True)
    pd.testing.assert_frame_equal(a.tco, b.tco, check_exact=True)


def test_one_two_workers_and_a_dask_cluster_give_bit_identical_results(small, client):
    one = run(small, workers=1)
    two = run(small, workers=2)
    on_dask = run(small, executor=client.get_executor(pure=False), workers=2)
    assert len(one.replications) == 12 and one.tco["tco_usd"].notna().all()
    _same(one, two)
    _same(one, on_dask)
    assert one.to_dict() | {"elapsed_s": 0} == on_dask.to_dict() | {"elapsed_s": 0}


def test_chunking_does_not_change_results(small, client):
    # the runner cuts replications into ~4 chunks per slot: 1 slot and 5 slots chunk differently
    few = run(small, executor=client.get_executor(pure=False), workers=1)
    many = run(small, executor=client.get_executor(pure=False), workers=5)
    _same(few, many)


def test_a_sweep_distributes_its_points_through_the_same_executor(small, client):
    grid = {"policy.switch_replacement_hours": [4.0, 16.0], "costs.pue": [1.2]}
    local = sweep(small, grid, Evaluator(workers=1))
    calls = []
    executor = client.get_executor(pure=False)

    class Counting(Workers):
        def result(self, fut):
            calls.append(fut)
            return super().result(fut)

    ev = Evaluator(executor=Counting(executor, 2, "the test's cluster"))
    on_dask = sweep(small, grid, ev)
    pd.testing.assert_frame_equal(local, on_dask, check_exact=True)
    assert ev.runs == 4 and len(calls) >= 4  # 2 architectures x 2 policies; the PUE re-simulates nothing


def test_cli_runs_on_a_dask_scheduler_by_address(small, cluster, tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('name = "s"\nhorizon_years = 1\nreplications = 4\nseed = 5\n[fleet]\nswitches = 4\n'
                 'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
                 '[[architectures]]\nbase = "cpo-els"\n', encoding="utf-8")
    local = CliRunner().invoke(app, ["compare", str(f), "--json", "-w", "1"])
    remote = CliRunner().invoke(app, ["compare", str(f), "--json", "--dask", cluster.scheduler_address])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert a | {"elapsed_s": 0} == b | {"elapsed_s": 0}
    swept = CliRunner().invoke(app, ["sweep", str(f), "--vary", "costs.pue=1.2,1.4", "--json",
                                     "--dask", cluster.scheduler_address])
    assert swept.exit_code == 0, swept.output
    # a lost scheduler is said once, as a ClusterError: Dask's client logs its reconnection
    # attempts at ERROR with tracebacks, so --dask silences its loggers (after importing it,
    # whose configuration sets their levels)
    assert logging.getLogger("distributed.client").getEffectiveLevel() == logging.CRITICAL


@pytest.mark.parametrize("address, words", [
    ("nonsense", "--dask 'nonsense' is not a scheduler address"),
    ("foo://x:1", "unknown address scheme 'foo'"),
])
def test_a_bad_address_is_one_message_naming_it_and_the_fix(address, words):
    r = CliRunner().invoke(app, ["simulate", "--replications", "2", "--dask", address])
    assert r.exit_code == 1
    assert words in r.stderr and "tcp://HOST:PORT" in r.stderr
    assert "Traceback" not in r.output


def test_a_lost_cluster_is_one_message_naming_it():
    fut: Future = Future()
    fut.set_exception(distributed.comm.CommClosedError("in <TCP>: Stream is closed"))
    w = Workers(None, 1, "x", address="tcp://10.0.0.1:8786",  # type: ignore[arg-type]
                _lost=(distributed.comm.CommClosedError,))
    with pytest.raises(ClusterError, match=r"lost the Dask cluster at tcp://10\.0\.0\.1:8786 .*"
                       r"`dask worker tcp://10\.0\.0\.1:8786`"):
        w.result(fut)
    ok: Future = Future()
    ok.set_exception(ValueError("a bug is not a lost cluster"))
    with pytest.raises(ValueError):
        w.result(ok)


def test_in_process_and_pool_workers():
    with open_workers(1) as w:
        assert w.slots == 1 and w.executor.submit(pow, 2, 10).result() == 1024
    with open_workers(2) as w:
        assert w.slots == 2 and w.where == "local processes"
    with pytest.raises(Exception, match="workers = 0"):
        with open_workers(0):
            pass
