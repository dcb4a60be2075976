"""Results are bit for bit those of the code they were recorded with.

Restructuring code that simulates must not change a single number: each case below runs a
built-in scenario and hashes, byte for byte, every per-replication metric, every TCO row and
every ledger a run keeps (the reduced sums, or the dated events). The digests were recorded at
commit 8f21378 (before fleet_models/ was split into sub-packages) and held through that split;
they were recorded again when the ledger began to carry each job event's GPUs (each interrupted
or drained job charged its own size: the metrics of every case unchanged, the TCO of the
multi-job built-ins cpo-pilot, bailly and quantum-x corrected); and again when the built-ins
took one event definition on both sides (issue 26: CPO engines clear a share of their events in
place, the pluggable twins take Meta's pluggable rate read in the engines' unit), and again
when the support terms replaced the RMA credit (hardware the vendor's for 3 years, a fee, then
bought: the TCO of every case, and the engine metrics where a switch spare ordered after the
period waits for a bought switch). A change that alters the random
numbers or the arithmetic of a run shows here as a different digest.
When a change is *meant* to alter results (a corrected rule, a new default), record the new
digests in the same commit and say why in its message.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

import fleet_models as fm


def digest(result) -> str:
    """sha256 (first 16 hex digits) of a run's metrics, TCO rows and ledgers."""
    h = hashlib.sha256()
    frame = result.replications
    h.update(",".join(map(str, frame.columns)).encode())
    for table in (frame, result.tco):
        for col in table.columns:
            if col == "architecture":
                h.update("|".join(table[col]).encode())
            else:
                h.update(np.ascontiguousarray(table[col].to_numpy(float)).tobytes())
    for key in sorted(result.ledgers):
        led = result.ledgers[key]
        h.update(repr(key).encode())
        if hasattr(led, "sums"):  # LedgerSums: what a run keeps
            h.update(led.parts.tobytes())
            h.update(led.sums.tobytes())
        else:  # a dated Ledger
            for f in ("time", "kind", "component", "hours", "down_by_month", "lost_by_month", "gpus"):
                h.update(np.ascontiguousarray(getattr(led, f)).tobytes())
    return h.hexdigest()[:16]


def _builtin(name: str, **changes):
    sc = fm.builtin_scenarios()[name]
    return dataclasses.replace(sc, **changes) if changes else sc


# (scenario, changes, run arguments) -> digest
CASES = {
    "default-fast-24": (("default", {}, dict(replications=24, engine="fast")), "1be0da593fcde1d4"),
    "default-des-3": (("default", {}, dict(replications=3, engine="des")), "7433177b8caa6b37"),
    "default-fast-dated-4": (("default", {}, dict(replications=4, engine="fast", dated_events=True)),
                             "48434ae7269567d3"),
    "pilot-fast-40": (("cpo-pilot", {}, dict(replications=40, engine="fast")), "4c44c7f113865033"),
    "spectrum-x-fast-16": (("spectrum-x", {}, dict(replications=16, engine="fast")), "d7f50132434a7589"),
    "quantum-x-fast-16": (("quantum-x", {}, dict(replications=16, engine="fast")), "a5686ea3fffe74c6"),
    "bailly-des-2": (("bailly", {}, dict(replications=2, engine="des")), "66e428e69c626ca4"),
    "default-uncertain-fast-12": (("default", {"uncertainty": True}, dict(replications=12, engine="fast")),
                                  "3a42cb673f931dc9"),
    "default-uncertain-des-2": (("default", {"uncertainty": True}, dict(replications=2, engine="des")),
                                "f2e4a2cbf8025585"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_run_is_bit_identical_to_the_recorded_one(case):
    (name, changes, kwargs), expected = CASES[case]
    result = fm.run(_builtin(name, **changes), workers=1, **kwargs)
    assert digest(result) == expected
