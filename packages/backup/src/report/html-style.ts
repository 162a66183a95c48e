/**
 * The report page's only style sheet, inline. Colours meet WCAG AA (4.5:1) on
 * their backgrounds, and every status also has a word and a symbol, so nothing
 * depends on colour; print drops the tints and keeps tables whole.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --pass: #1a7f37; --fail: #b42318; --warn: #8a5300; --bar: #2f5d9e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.verdict { border: 2px solid; border-left-width: .6rem; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.verdict p.headline { font-size: 1.25rem; font-weight: 700; margin: 0; }
.verdict.pass { border-color: var(--pass); background: #eef8f0; }
.verdict.warn { border-color: var(--warn); background: #fdf6e7; }
.verdict.fail { border-color: var(--fail); background: #fdeeec; }
.verdict.pass .headline { color: #14612a; } .verdict.warn .headline { color: #6b4000; } .verdict.fail .headline { color: #8f1c13; }
.problems { margin: .5rem 0 0; padding-left: 1.25rem; }
.problems li { margin: .5rem 0; }
.problems .reason { display: block; }
.problems .action { display: block; }
.status { font-weight: 700; white-space: nowrap; }
.status.pass { color: var(--pass); } .status.fail { color: var(--fail); } .status.skipped { color: var(--muted); } .status.warn { color: var(--warn); }
dl.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .5rem 1rem; margin: 0; }
dl.summary div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
dl.summary dt { color: var(--muted); font-size: .85rem; }
dl.summary dd { margin: 0; font-size: 1.15rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fdeeec; }
td.check code { white-space: nowrap; }
figure { margin: 0 0 1.25rem; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg.chart { display: block; max-width: 45rem; font: 11px system-ui, sans-serif; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { fill: var(--muted); }
svg.chart .bar { fill: var(--bar); }
svg.chart .value { fill: var(--ink); font-weight: 600; }
svg.chart .nodata { fill: var(--muted); font-style: italic; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .verdict, tr.fail td, th { background: none !important; }
  h2 { break-after: avoid; }
  table, figure, .verdict, section.verification { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; }
}
`;
