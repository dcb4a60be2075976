"""The report's one stylesheet: screen (phone first: sticky first columns, scroll shadows,
stacked assumptions), and print (letter and A4: nothing split that reads as one)."""

CSS = """
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --accent:#2f5aa8; --weak:#fff4db; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:#fff;
  font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: .5rem 0 .25rem; line-height:1.2; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-top:.4rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .5rem 0; }
code { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size: .86em;
  overflow-wrap: anywhere; }
.sub, .muted, .note, .unit { color: var(--muted); }
.note { font-size: .82em; }
.small { font-size: .88em; }
.question { font-size: 1rem; }
header h1 { font-size: 1.45rem; }
.verdict { border: 2px solid var(--accent); border-radius: .5rem; padding: .45rem .8rem;
  background: #f4f7fc; margin: .5rem 0 1rem; }
.verdict .answer { background: none; border: 0; padding: 0; font-size: 1.12rem; font-weight: 600;
  margin: .2rem 0 .4rem; }
.probs { display: flex; flex-wrap: wrap; gap: .4rem; margin: .3rem 0; }
.prob { flex: 1 1 16rem; display: flex; gap: .6rem; align-items: center; background: #fff;
  border: 1px solid var(--line); border-radius: .4rem; padding: .25rem .6rem; }
.prob .big { font-size: 1.7rem; font-weight: 700; color: var(--accent); min-width: 4.3rem; flex: none;
  text-align: right; line-height: 1.1; white-space: nowrap; }
.prob .what { font-size: .86rem; line-height: 1.35; }
.fliphead { margin: .4rem 0 .1rem; font-size: .92rem; }
ul.flips { margin: 0 0 .2rem; padding-left: 1.1rem; font-size: .86rem; line-height: 1.35; }
.explain { background: #f5f7fa; border-left: 3px solid var(--line); padding: .4rem .7rem; }
.answer { font-size: 1.12rem; background:#eef3fb; border-left: 4px solid var(--accent);
  padding: .6rem .8rem; }
.warn { background: var(--weak); padding: .4rem .6rem; }
.badge { display:inline-block; font-size:.72em; padding: 0 .35em; border-radius: .3em;
  background:#f0b429; color:#1d2330; white-space:nowrap; }
nav ol { columns: 2; padding-left: 1.2rem; margin: .4rem 0; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .6rem 0;
  /* a shadow at the edge that has more columns beyond it (scrolling shadows, no script) */
  background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)),
    linear-gradient(to right, rgba(255,255,255,0), #fff 70%) 100% 0,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.22), rgba(0,0,0,0)),
    radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.22), rgba(0,0,0,0)) 100% 0;
  background-repeat: no-repeat; background-size: 40px 100%, 40px 100%, 14px 100%, 14px 100%;
  background-attachment: local, local, scroll, scroll; }
.scroll th[scope=row], .scroll thead th:first-child { position: sticky; left: 0; z-index: 1;
  background: #fff; box-shadow: 1px 0 0 var(--line); }
.scroll thead th:first-child { z-index: 2; background: #f5f7fa; }
tr.weak th[scope=row] { background: var(--weak); }
tr.group th { position: static; }
table.tornado th[scope=row] code, table.detail th[scope=row] { white-space: nowrap; overflow-wrap: normal; }
table { border-collapse: collapse; font-size: .9rem; min-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: right;
  vertical-align: top; }
th[scope=row], thead th:first-child { text-align: left; }
thead th { background: #f5f7fa; position: sticky; top: 0; }
table.assumptions td, table.assumptions th, table.refs td, table.refs th, table.lives td,
table.kv td, table.kv th { text-align: left; }
table.assumptions td:nth-child(6) { min-width: 12rem; }
table.assumptions th[scope=row] code, table.refs th[scope=row] code { white-space: nowrap; }
tr.group th { text-align: left; background: #e8edf5; padding-top: .5rem; }
table.assumptions thead th, table.refs thead th, table.lives thead th, table.kv thead th { text-align: left; }
tr.weak { background: var(--weak); }
.ci, .pp { font-size: .82em; color: var(--muted); white-space: nowrap; }
.mean { font-weight: 600; white-space: nowrap; }
table.compare td, table.tornado td { white-space: nowrap; }
table.detail th[scope=row] code { white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: .6rem 0; }
.card { flex: 1 1 17rem; border: 1px solid var(--line); border-radius: .4rem; padding: .4rem .8rem; }
.card h3 { margin: .2rem 0 .3rem; font-size: 1rem; overflow-wrap: anywhere; }
.card dl { display: grid; grid-template-columns: auto auto; gap: .1rem .8rem; margin: 0; font-size: .92rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; white-space: nowrap; }
.figscroll { overflow-x: auto; }
figure { margin: 1rem 0; }
figure svg { width: 100%; max-width: 42rem; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: .86rem; color: var(--muted); margin-top: .3rem; }
pre.scenario { font-size: .74rem; overflow-x: auto; background:#f5f7fa; padding:.6rem; }
footer { margin-top: 2rem; }
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: .6rem .7rem 2rem; }
  h1 { font-size: 1.35rem; }
  nav ol { columns: 1; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .35rem; }
  table.assumptions td:nth-child(6) { min-width: 10rem; }
  table.detail .note { display: none; }
  .scroll.wide::before { content: "more columns: scroll sideways \\2192"; display: block;
    font-size: .72rem; color: var(--muted); position: sticky; left: 0; }
  /* the assumptions table stacks: one block per input, each cell labelled */
  table.assumptions, table.assumptions tbody, table.assumptions tr, table.assumptions th,
  table.assumptions td { display: block; width: 100%; min-width: 0 !important; }
  table.assumptions thead { display: none; }
  table.assumptions tr { border-bottom: 1px solid var(--line); padding: .2rem 0; }
  table.assumptions td, table.assumptions th { border: 0; padding: .05rem .3rem; position: static;
    box-shadow: none; background: transparent; }
  table.assumptions td:empty { display: none; }
  table.assumptions td::before { content: attr(data-label) ": "; color: var(--muted); font-size: .85em; }
  .scroll.wide:has(table.assumptions)::before { content: none; }
  .prob .big { font-size: 1.45rem; min-width: 3.9rem; }
}
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .scroll { overflow: visible; }
  thead th { position: static; }
  table { font-size: 8.5pt; }
  figure, tr, .card { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  pre.scenario { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 7pt; }
  .scroll.wide::before { content: none; }
  .verdict, .prob, .explain { break-inside: avoid; }
  figure svg { max-width: 15cm; max-height: 15cm; width: auto; }
  figure { break-inside: avoid; }
  @page { margin: 14mm 12mm; }
  #appendix table { font-size: 7pt; }
  #appendix table.assumptions td:nth-child(6) { display: none; }
  #appendix table.assumptions th:nth-child(6) { display: none; }
}
"""
