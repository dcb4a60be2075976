"""The engines a run can take, by name, and how ``auto`` chooses between them."""

from __future__ import annotations

from failure_data.errors import option
from fleet_models.engines.contract import Engine, compile_plan
from fleet_models.errors import ScenarioError
from fleet_models.model.spec import Scenario

ENGINES = ("auto", "des", "fast")
"""Engine choices: ``des`` the SimPy engine (the reference semantics), ``fast`` the compiled one,
``auto`` the fast one when it models every architecture of the scenario, else SimPy."""


def get_engine(name: str) -> Engine:
    """The engine object named ``des`` or ``fast``."""
    if name == "fast":
        from fleet_models.engines.fast.engine import FastEngine

        return FastEngine()
    from fleet_models.engines.des.sim import SimPyEngine

    return SimPyEngine()


def check_engine(engine: str) -> None:
    """Refuse an engine name that is not one of :data:`ENGINES`."""
    if engine not in ENGINES:
        raise ScenarioError(f"engine = {engine!r} is not one of {', '.join(ENGINES)}; choose one of them")


def select_engine(scenario: Scenario, engine: str = "auto", seed: int | None = None) -> tuple[str, str | None]:
    """The engine a run of ``scenario`` uses for ``engine`` ("auto", "des" or "fast") and, when
    ``auto`` falls back to SimPy, why. ``fast`` on a scenario it does not model is refused."""
    check_engine(engine)
    if engine == "des":
        return "des", None
    from fleet_models.engines.fast.engine import unsupported
    from fleet_models.engines.tiers import is_design, plans

    reasons = [r for a in scenario.architectures
               for plan in (plans(scenario, a, seed) if is_design(a) else [compile_plan(scenario, a, seed)])
               if (r := unsupported(plan)) is not None]
    if not reasons:
        return "fast", None
    why = "; ".join(dict.fromkeys(reasons))
    if engine == "fast":
        raise ScenarioError(f"{why}; choose the engine des or auto ({option('engine', 'engine=')})")
    return "des", why
