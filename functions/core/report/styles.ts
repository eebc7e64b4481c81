/**
 * The report's only stylesheet, inlined in the page's `<head>`. Colours are custom properties so
 * that one block switches light/dark (`prefers-color-scheme`) and another forces a light, ink-
 * friendly palette for print. Chart SVGs are inline in the page and styled by class from here.
 *
 * Every colour pair used for text meets WCAG AA contrast against its background in both schemes;
 * direction and status are also carried by arrows, signs and words, never by colour alone.
 */

const LIGHT = `--bg:#ffffff;--fg:#1b1f24;--muted:#57606a;--faint:#f3f5f7;--card:#f6f8fa;--border:#d0d7de;--grid:#e6e9ed;
--series:#0b5cd5;--band:rgba(11,92,213,.13);--baseline:#6e7781;--up:#1a7f37;--down:#cf222e;--down-bg:#fff1f0;
--warn:#875b00;--accent:#8250df;--accent-bg:#f6f0ff;`;

const DARK = `--bg:#0d1117;--fg:#e6edf3;--muted:#9ea7b3;--faint:#151b23;--card:#161b22;--border:#3d444d;--grid:#262c36;
--series:#6cb6ff;--band:rgba(108,182,255,.24);--baseline:#9ea7b3;--up:#3fb950;--down:#ff7b72;--down-bg:#2d1417;
--warn:#d29922;--accent:#d2a8ff;--accent-bg:#221a33;`;

export const REPORT_CSS = `
:root{color-scheme:light dark;${LIGHT}}
@media (prefers-color-scheme: dark){:root{${DARK}}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:16px 16px 32px}
h1{font-size:1.45rem;line-height:1.25;margin:.1em 0 .15em}
h2{font-size:1.15rem;margin:0 0 .6em}
h3{font-size:1rem;margin:0 0 .4em}
p{margin:.4em 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
section{margin:18px 0;padding:16px;border:1px solid var(--border);border-radius:10px}
header.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:4px 16px;margin-bottom:4px}
nav.pager{font-size:.88rem;margin-bottom:4px}
@media print{nav.pager{display:none}}
.sub,.note{color:var(--muted)}
.note{font-size:.88rem}
.warnings{border-left:4px solid var(--warn);padding-left:1rem}.warnings .code{color:var(--warn);font-weight:600}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.chg{font-weight:600;white-space:nowrap}
.chg-up{color:var(--up)}.chg-down{color:var(--down)}.chg-flat,.chg-none{color:var(--muted)}
.pill{display:inline-block;padding:1px 8px;border:1px solid currentColor;border-radius:999px;font-size:.8rem;font-weight:700;white-space:nowrap}
.st-ok{color:var(--up)}.st-drop{color:var(--down)}.st-insufficient_history{color:var(--muted)}.st-data_incomplete{color:var(--warn)}
.st-complete{color:var(--up)}.st-incomplete{color:var(--warn)}.st-unknown{color:var(--muted)}
.v-strong{color:var(--accent)}.v-weak{color:var(--muted)}.v-insufficient_data{color:var(--muted)}
.headline{display:grid;grid-template-columns:minmax(0,1.2fr) minmax(0,1fr);gap:16px}
.kpi-label{color:var(--muted);font-size:.9rem}
.kpi-value{font-size:2.6rem;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.kpi-change{font-size:1.05rem;margin:.2em 0}
.facts{display:grid;grid-template-columns:auto minmax(0,1fr);gap:4px 12px;margin:0;align-content:start}
.facts dt{color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
figure{margin:0}
figcaption{color:var(--muted);font-size:.85rem;margin-top:6px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px}
.legend span{min-width:0}
.key{flex:none}
.key{display:inline-block;width:18px;height:10px;margin-right:5px;vertical-align:middle}
.key-series{border-top:2px solid var(--series);height:0}
.key-baseline{border-top:2px dashed var(--baseline);height:0}
.key-band{background:var(--band)}
.key-drop{color:var(--down);width:auto;height:auto}
.key-min{border-left:2px dashed var(--accent);width:2px;height:12px}
.key-driver{border:2px solid var(--accent);border-radius:3px}
.key-alert{border:2px solid var(--down);border-radius:3px}
.v-narrow{display:none}
.v-wide{max-width:900px}
svg.chart{display:block;width:100%;height:auto}
.chart text{fill:var(--muted);font-size:12px;font-family:inherit}
.chart .grid{stroke:var(--grid);stroke-width:1}
.chart .axis{stroke:var(--border);stroke-width:1}
.chart .band{fill:var(--band);stroke:none}
.chart .baseline{fill:none;stroke:var(--baseline);stroke-width:1.5;stroke-dasharray:5 4}
.chart .series{fill:none;stroke:var(--series);stroke-width:2.25;stroke-linejoin:round;stroke-linecap:round}
.chart .series-dot{fill:var(--series)}
.chart .today{fill:var(--series);stroke:var(--bg);stroke-width:2}
.chart .drop-marker path,.chart .drop-dot{fill:var(--down);stroke:var(--bg);stroke-width:1.5}
.chart .empty{font-size:14px}
.chart-sparkline .series{stroke-width:1.75;vector-effect:non-scaling-stroke}
.chart-sparkline .drop-dot{stroke-width:1}
.chart .box{fill:var(--card);stroke:var(--border);stroke-width:1}
.chart .node-nsm .box{stroke:var(--series);stroke-width:2}
.chart .node-drop .box{fill:var(--down-bg)}
.chart .node-driver .box{stroke:var(--accent);stroke-width:2.5;fill:var(--accent-bg)}
.chart .node-alert .box{stroke:var(--down);stroke-width:2.5;fill:var(--down-bg)}
.chart .box-accent{fill:var(--accent)}
.chart .node-alert .box-accent{fill:var(--down)}
.chart .node-name{fill:var(--fg);font-size:13px;font-weight:600}
.chart .node-value{fill:var(--fg);font-size:18px;font-weight:700}
.chart .node-status,.chart .node-role{font-size:11px;font-weight:700;letter-spacing:.02em}
.chart .node-role{fill:var(--accent)}
.chart .node-share{fill:var(--muted);font-size:12px}
.chart .seg-bar{fill:var(--muted)}.chart .seg-down{fill:var(--down)}.chart .seg-up{fill:var(--up)}
.chart .node-alert .node-role{fill:var(--down)}
.chart .status-ok{fill:var(--up)}.chart .status-drop{fill:var(--down)}
.chart .status-insufficient_history{fill:var(--muted)}.chart .status-data_incomplete{fill:var(--warn)}
.chart .change{font-size:12px;font-weight:600}
.chart .change-up{fill:var(--up)}.chart .change-down{fill:var(--down)}.chart .change-flat,.chart .change-none{fill:var(--muted)}
.chart .link{fill:none;stroke:var(--border);stroke-width:1.5}
.chart .link-hot{stroke:var(--accent);stroke-width:3}
.chart .row-band{fill:var(--faint)}
.chart .row-label{fill:var(--fg)}
.chart .row-verdict{font-size:11px}
.chart .verdict-strong{fill:var(--accent);font-weight:700}
.chart .row-note{font-size:11px;font-style:italic}
.chart .note-bg{fill:var(--bg)}
.chart .note-bg-odd{fill:var(--faint)}
.chart .today-ring{fill:none;stroke:var(--fg);stroke-width:2}
.chart .ci{stroke:var(--fg);stroke-width:1.5}
.chart .ci-arrow{fill:var(--fg)}
.chart .pt-strong{fill:var(--accent);stroke:var(--bg);stroke-width:1}
.chart .pt-weak{fill:var(--muted);stroke:var(--bg);stroke-width:1}
.chart .pt-insufficient_data{fill:var(--bg);stroke:var(--fg);stroke-width:1.5}
.chart .ref-one{stroke:var(--muted);stroke-width:1;stroke-dasharray:3 3}
.chart .ref-min{stroke:var(--accent);stroke-width:1.5;stroke-dasharray:6 3}
.chart .ref-label{fill:var(--accent);font-weight:600}
.chart .hm-pos{fill:var(--accent)}
.chart .hm-neg{fill:var(--down)}
.chart .hm-none{fill:var(--faint);stroke:var(--grid)}
.chart .hm-value{fill:var(--fg);font-size:12px;font-variant-numeric:tabular-nums}
.chart .hm-strong{font-weight:700}
.chart .hm-best{fill:none;stroke:var(--fg);stroke-width:3}
.chart .hm-axis{font-size:11px}
.sweep-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px;margin-top:10px}
.sweep-card h3{font-size:.95rem}
.sweep-card svg.chart{max-width:360px}
.verdict-leading{color:var(--up)}.verdict-not_predictive{color:var(--down)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.card{border:1px solid var(--border);border-radius:8px;padding:10px 12px;background:var(--card);min-width:0}
.card.is-drop{border-color:var(--down)}
.card-name{font-weight:600;overflow-wrap:anywhere;line-height:1.3}
.card-id{color:var(--muted);font-size:.8rem}
.card-value{font-size:1.35rem;font-weight:700;font-variant-numeric:tabular-nums}
.card-row{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}
.card svg.chart{margin:6px 0 2px}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin-top:10px}
caption{text-align:left;caption-side:top;padding:0 0 4px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 7px;border-bottom:1px solid var(--border);text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600;vertical-align:bottom}
th.n{text-align:right}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.is-strong td{background:var(--accent-bg)}
td[class^="v-"]{white-space:nowrap}
td .id{color:var(--muted);font-size:.8rem;display:block;overflow-wrap:anywhere}
td code{white-space:nowrap}
tr.lvl1 td.head{padding-left:24px}tr.lvl2 td.head{padding-left:40px}tr.lvl3 td.head{padding-left:56px}
tr.lvl4 td.head{padding-left:72px}tr.lvl5 td.head{padding-left:88px}
.alert{border:1px solid var(--border);border-left:5px solid var(--down);border-radius:8px;padding:10px 12px;margin:10px 0}
.alert.kind-data_incomplete{border-left-color:var(--warn)}.alert.kind-recovered{border-left-color:var(--up)}
.alert h3{overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.8rem;text-align:center;margin-top:24px}
@media screen and (max-width:700px){
  main{padding:10px 10px 24px}
  section{padding:12px 10px}
  .v-wide{display:none}
  .v-narrow{display:block;max-width:480px}
  .headline{grid-template-columns:minmax(0,1fr)}
  .kpi-value{font-size:2.2rem}
  h1{font-size:1.25rem}
  /* Tables become one block per row, each cell labelled, so nothing hides off-screen. */
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack caption{display:block}
  table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
  table.stack tr{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));column-gap:18px;border-bottom:1px solid var(--border);padding:6px 0}
  table.stack td{border:none;padding:1px 0;display:flex;justify-content:flex-end;align-items:baseline;flex-wrap:wrap;column-gap:8px;text-align:right}
  table.stack td::before{content:attr(data-label);color:var(--muted);text-align:left;margin-right:auto}
  table.stack td.head{display:block;order:-1;grid-column:1/-1;text-align:left;font-weight:600;padding-bottom:2px}
  table.stack td.head::before{content:none}
  table.stack td .id{display:inline;margin-left:6px}
  table.stack tr.lvl1 td.head,table.stack tr.lvl2 td.head,table.stack tr.lvl3 td.head,table.stack tr.lvl4 td.head,table.stack tr.lvl5 td.head{padding-left:0}
  table.stack tr.lvl1{padding-left:14px}table.stack tr.lvl2{padding-left:28px}table.stack tr.lvl3{padding-left:42px}
  table.stack tr.lvl4,table.stack tr.lvl5{padding-left:56px}
  tr.is-strong td{background:none}
  tr.is-strong{background:var(--accent-bg)}
}
@media print{
  :root{${LIGHT}}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  @page{margin:12mm}
  body{font-size:10.5pt;background:#fff}
  main{max-width:none;padding:0}
  section{border:none;padding:0;margin:14pt 0}
  h2{break-after:avoid}
  figure,.card,.alert,tr,.headline{break-inside:avoid}
  .v-narrow{display:none!important}
  .v-wide{display:block!important;max-width:none}
  .table-wrap{overflow:visible}
  .cards{grid-template-columns:repeat(3,minmax(0,1fr))}
}
`;
