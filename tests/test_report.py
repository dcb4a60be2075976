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

    answer = of_run(hostile_run)
    assert html.escape(answer.headline(), quote=True) in page  # the first screen's sentence
    assert html.escape(answer.chance_text(), quote=True) in page
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


PRICE = "architectures.cpo-els.components.optical-engine.price_usd"


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> str:
    """cpo-pilot's report as the CLI writes it, with the tornado, the hinges and a break-even."""
    out = tmp_path_factory.mktemp("full") / "pilot.html"
    r = CliRunner().invoke(app, ["report", "cpo-pilot", "-o", str(out), "-n", "4", "--workers", "1",
                                 "--tornado", "--breakeven", PRICE, "--between", "0", "20000", "-q"])
    assert r.exit_code == 0, r.output
    return out.read_text(encoding="utf-8")


def _visible(page: str) -> str:
    """The page's prose and tables as a reader sees them: no style, no figures, no code blocks
    (the resolved scenario is TOML on purpose), entities decoded."""
    text = re.sub(r"<(style|svg|pre)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def test_cli_writes_the_report_with_tornado_and_breakeven(full):
    page, path = full, PRICE
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


def test_the_first_screen_holds_the_question_answer_probabilities_and_flips_in_that_order(full):
    # issue 27: the person who decides reads the question, the verdict with its interval, both
    # probabilities and what flips it before any description or the contents list
    head = re.search(r'<header id="first-screen">(.*?)</header>', full, re.S)
    assert head, "no first screen"
    first = head.group(1)
    assert re.search(r"<h1>Does cpo-els cost less to own than pluggable-dsp\?</h1>", first)
    answer = re.search(r'<p class="answer">(.*?)</p>', first).group(1)
    assert "95 % interval" in answer and "tornado" not in answer
    assert first.count('class="prob"') == 2  # chance alone, and over the inputs
    order = [full.index(s) for s in ('<h1>', 'class="answer"', "over chance alone",
                                     "over the uncertainty of its", "What would flip it",
                                     "The architectures compared", '<nav aria-label="contents"')]
    assert order == sorted(order), order
    assert first.count("<li>") == 3  # the three hinges (--hinges 3)


def test_a_verdict_the_baseline_wins_still_carries_its_interval(page):
    # the hostile page's run draws no uncertainty: the answer has its interval, and points to no
    # tornado that was not computed
    answer = re.search(r'<p class="answer">(.*?)</p>', page).group(1)
    assert "95 % interval" in answer
    assert "was not computed for this report" in page


@pytest.mark.parametrize("bad", [r"\bh h\b", "°C °C", r"\b1 (lasers|switches|ports|replications)\b",
                                 r"0\.0833", "`", r"\(JSON:", r"\bNone\b", r"\bnan\b", "‹"])
def test_units_once_in_the_unit_of_their_range_and_no_code_in_prose(full, bad):
    text = _visible(full)
    m = re.search(bad, text)
    assert m is None, text[max(0, m.start() - 120):m.end() + 60]


def test_one_money_format_per_table_and_counts_never_negative(full):
    # never $11k beside $8,838 (issue 27): a table of like values (the inputs) has one money
    # format; a table whose rows are different measures (the results mix fleet totals and
    # per-port-year costs; key-value tables) has one per row, the tornado one per column (the
    # differences in one, the inputs' ranges in whole dollars)
    money = re.compile(r"[+-]?\$[\d.,]+[kMB]?")

    def suffixes(cells):
        return {re.sub(r"[^kMB]", "", m) for c in cells for m in money.findall(html.unescape(c))
                if m.lstrip("+-") != "$0"}  # nothing is nothing in any format

    tables = re.findall(r'<table class="([^"]*)".*?</table>', full, re.S)
    assert any("tornado" in t for t in tables) and any("assumptions" in t for t in tables)
    for table in re.findall(r"<table.*?</table>", full, re.S):
        kind = re.search(r'<table class="([^"]*)"', table)
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in re.findall(r"<tr.*?</tr>", table, re.S)]
        rows = [r for r in rows if r]  # the header row has no td
        cls = kind.group(1).split()[0] if kind else ""
        if cls == "kv":  # one row per fact (a break-even's input beside its differences)
            continue
        if cls in ("compare", "detail", "counts"):
            groups = rows
        elif cls == "tornado":
            groups = [list(col) for col in zip(*rows, strict=True)]
        else:
            groups = [sum(rows, [])]
        for cells in groups:
            assert len(suffixes(cells)) <= 1, (kind and kind.group(1), cells[:8])
        assert not any("e-" in c and "$" in c for c in sum(rows, [])), "float noise as money"
    results = re.search(r'id="results".*?</section>', full, re.S).group(0)
    counted = 0
    for row in re.findall(r"<tr>(.*?)</tr>", results, re.S):
        label = html.unescape(re.sub(r"<[^>]+>", "", row.split("</th>")[0]))
        if re.search(r"outages|events|interruptions|replacements", label):
            counted += 1
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
            assert not any(re.search(r"(^|[\[ ])[-−]\d", html.unescape(c)) for c in cells), row
    assert counted >= 4  # both tables' count rows were read


def test_the_breakeven_says_its_unit_the_value_in_use_and_draws_the_difference(full):
    sec = re.search(r'id="breakeven".*?</section>', full, re.S).group(0)
    text = _visible(sec)
    assert "value in use" in text.lower()
    assert re.search(r"\$0\b", text) and "$20,000" in text  # dollar-formatted ends
    assert "<svg" in sec  # the difference against the input


def test_every_figure_text_is_readable_on_a_phone(full):
    # issue 27: at least 10 CSS px at 390 px (366 px of figure): each SVG's font sizes scaled by
    # the width it is drawn at
    from cli.render.report_figures import MIN_TEXT_PX, PHONE_PX

    svgs = re.findall(r"<svg.*?</svg>", full, re.S)
    assert len(svgs) >= 6
    for svg in svgs:
        # a font-size is in viewBox units (pt); the page draws the figure at most 366 px wide
        # and never wider than its own width (1 pt = 4/3 CSS px)
        width_pt = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        px_per_unit = min(4 / 3, PHONE_PX / width_pt)
        for size in re.findall(r"font-size:\s*([\d.]+)px", svg):
            assert float(size) * px_per_unit >= MIN_TEXT_PX - 0.01, (size, width_pt)
