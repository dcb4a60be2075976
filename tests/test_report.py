"""`cpo report`: one self-contained, valid HTML page with every section, nothing external, every
user string escaped; the presentation layer leaves matplotlib's global state alone."""

from __future__ import annotations

import dataclasses
import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from cli.render.report import SECTIONS, build_report, scenario_sha256
from cli.render.report_inputs import assumptions
from fleet_models.builtins.provenance import field_sources
from fleet_models.builtins.scenarios import builtin_scenarios
from fleet_models.runs.runner import run

HOSTILE = "<script>alert(1)</script>"
ROOT = Path(__file__).resolve().parents[1]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Checker(HTMLParser):
    """Balanced tags (void elements aside; SVG's self-closed elements come as startend), every id
    once, and every attribute that could load something (src, href, xlink:href, action) local."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def _attrs(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
            if name in ("src", "href", "xlink:href", "action", "srcset") and value and \
                    not value.startswith(("#", "data:")):
                self.problems.append(f"<{tag} {name}={value!r}> loads something external")


def check(page: str) -> Checker:
    c = Checker()
    c.feed(page)
    c.close()
    return c


@pytest.fixture(scope="module")
def hostile_run():
    """The cpo-pilot scenario with a hostile scenario name, architecture name and description."""
    sc = builtin_scenarios()["cpo-pilot"]
    els = dataclasses.replace(sc.architectures[1], name=HOSTILE + "&'\"", description=HOSTILE)
    sc = dataclasses.replace(sc, name=HOSTILE, architectures=(sc.architectures[0], els))
    return run(sc, replications=6, workers=1)


@pytest.fixture(scope="module")
def page(hostile_run) -> str:
    return build_report(hostile_run, command=["report", HOSTILE, "-o", "r.html"])


def test_the_page_is_balanced_html_with_every_section_once(page):
    c = check(page)
    assert not c.problems, c.problems[:5]
    assert c.stack == [], c.stack  # every element closed
    for sid, _ in SECTIONS:
        assert c.ids.count(sid) == 1, sid
    duplicated = {i for i in c.ids if c.ids.count(i) > 1}
    assert not duplicated, sorted(duplicated)[:5]  # several inline SVGs share no id
    assert page.startswith("<!DOCTYPE html>")
    assert "svg" in c.tags and "img" not in c.tags  # figures are inline SVG


def test_the_page_loads_nothing_external(page):
    low = page.lower()
    for needle in ('src="http', "href=\"http", "@import", "url(http", "<script", "<link", "<iframe"):
        assert needle not in low, needle


def test_user_strings_are_escaped(page):
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # in the title, the heading, the verdict, the tables and the SVG text alike: no raw tag anywhere
    assert not re.search(r"<script", page, re.I)


def test_the_verdict_and_the_footer_say_what_reproduces_it(page, hostile_run):
    from fleet_models.decisions.verdict import of_run

    assert html.escape(of_run(hostile_run).text(), quote=True) in page
    assert f"<code>{scenario_sha256(hostile_run.spec)}</code>" in page
    assert str(hostile_run.seed) in page
    assert "cpo report &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; -o r.html" in page  # shell-quoted
    assert "P(cheaper than pluggable-dsp)" in page


def test_every_sourced_field_is_in_the_assumptions_with_its_key():
    sc = builtin_scenarios()["cpo-pilot"]
    rows = assumptions(sc)
    cited = {k for r in rows for k in r.keys}
    # field_sources is where the keys come from: each must reach a row of the table
    from_sources = {k.strip() for keys in field_sources(sc).values() for k in keys.split(",")}
    assert cited == from_sources
    by_path = {r.path: r for r in rows}
    assert by_path["costs.gpu_hour_usd"].keys == ("gpu-hour",)
    assert by_path["architectures.cpo-els.components.optical-engine.price_usd"].keys == ("cpo-engine-price",)
    assert by_path["fleet.switches"].keys == ()  # the scenario's own value cites nothing
    assert len({r.path for r in rows}) == len(rows)


def test_placeholders_are_marked(page):
    # discount-rate is a placeholder in the catalog (published-figures.md): its row is flagged
    m = re.search(r'<tr class="weak"><th scope="row"><code>discount_rate</code>', page)
    assert m, "the discount_rate row is not marked"
    assert '<tr><th scope="row"><code>pue</code>' in page  # pue is H: not marked


def test_cli_writes_the_report_with_tornado_and_breakeven(tmp_path):
    out = tmp_path / "pilot.html"
    path = "architectures.cpo-els.components.optical-engine.price_usd"
    r = CliRunner().invoke(app, ["report", "cpo-pilot", "-o", str(out), "-n", "4", "--workers", "1",
                                 "--tornado", "--breakeven", path, "--between", "0", "20000", "-q"])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    c = check(page)
    assert not c.problems and c.stack == []
    assert ". Tornado: the mean TCO difference" in page and "Not computed for this report" not in page
    assert f"<code>{path}</code>" in page


def test_cli_refuses_a_range_without_breakeven_and_an_unknown_arch(tmp_path):
    out = str(tmp_path / "r.html")
    r = CliRunner().invoke(app, ["report", "cpo-pilot", "-o", out, "--between", "1", "2"])
    assert r.exit_code == 2 and "--breakeven" in r.output
    r = CliRunner().invoke(app, ["report", "cpo-pilot", "-o", out, "--arch", "nope", "-n", "2"])
    assert r.exit_code == 1 and "'nope' is not an architecture" in r.output
    assert not Path(out).exists()


def test_evaluator_reuses_a_run():
    from fleet_models.decisions.evaluator import Evaluator
    from fleet_models.errors import DecisionError

    sc = builtin_scenarios()["cpo-pilot"]
    result = run(sc, replications=3, workers=1)
    ev = Evaluator(replications=3, workers=1)
    ev.reuse(result)
    again = ev.result(sc)
    assert ev.runs == 0  # nothing re-simulated
    assert again.tco["tco_usd"].tolist() == result.tco["tco_usd"].tolist()
    with pytest.raises(DecisionError, match="cannot be reused"):
        Evaluator(replications=4).reuse(result)


def test_probability_plot_leaves_the_backend_and_pyplot_alone():
    # the old code called matplotlib.use("Agg"): the backend the caller chose changed under it
    code = (
        "import sys, matplotlib; matplotlib.use('svg')\n"
        "import numpy as np\n"
        "from matplotlib.figure import Figure\n"
        "from failure_data.table import LifeTable\n"
        "from reliability.fitting import fit\n"
        "t = 5e4 * np.random.default_rng(1).weibull(1.5, 50)\n"
        "r = fit(LifeTable.from_durations(t, np.ones(50, bool)), 'weibull')\n"
        "r.plot_probability(ax=Figure().add_subplot())\n"
        "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend()\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
