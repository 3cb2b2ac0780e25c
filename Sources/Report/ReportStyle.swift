/// The page's CSS: a readable single column, tables that scroll sideways instead of overflowing,
/// SVG styling shared by every chart, and a print layout (no navigation, no page breaks inside
/// figures, black text on white).
let reportStyle = """
:root { --ink: #1a1a1a; --muted: #5f5f5f; --rule: #d9d9d9; --bad: #D55E00; --good: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; background: #fff; }
header { border-bottom: 2px solid var(--ink); margin-bottom: 8px; }
h1 { font-size: 28px; margin: 24px 0 2px; }
h2 { font-size: 21px; margin: 36px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 8px; }
nav { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 6px 0 10px; font-size: 14px; }
nav a { color: var(--good); text-decoration: none; }
nav a:hover { text-decoration: underline; }
ul.findings { padding-left: 20px; }
ul.findings li { margin: 6px 0; }
.note, figcaption, footer { color: var(--muted); font-size: 13px; }
figure { margin: 12px 0 20px; break-inside: avoid; }
figure.inline { display: inline-block; vertical-align: top; margin-right: 24px; }
svg { max-width: 100%; height: auto; font-family: inherit; }
svg .grid { stroke: #e6e6e6; stroke-width: 1; }
svg .axis { stroke: #444; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #333; }
svg .axis-title { font-size: 12px; fill: #333; }
svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg .band { fill-opacity: 0.14; stroke: none; }
svg .hit { fill: transparent; stroke: none; }
svg .hit:hover { fill: rgba(0,0,0,0.18); }
svg .train-mark { fill: none; stroke-width: 2; }
svg .gap-mark { font-size: 15px; font-weight: bold; }
svg .legend-text { font-size: 12px; fill: #222; }
svg .legend-item { cursor: pointer; }
svg .off { opacity: 0.12; }
svg .cell { stroke: #fff; stroke-width: 1; }
svg .cell-text { font-size: 10px; }
svg .empty-cell { fill: #f2f2f2; stroke: #fff; }
svg .highlight { fill: none; stroke: #000; stroke-width: 2; }
svg .muted { fill: #999; }
svg .hollow { stroke-width: 1.5; }
svg .whisker { fill: none; stroke: #222; stroke-width: 1.2; }
svg .significance { font-size: 13px; font-weight: bold; fill: #222; }
svg .point { stroke-width: 1.5; }
svg .panel-title { font-size: 14px; font-weight: 600; fill: #222; }
svg .chance-line { stroke: #777; stroke-width: 1.2; stroke-dasharray: 2 4; }
svg .chance-text { font-size: 11px; fill: #555; }
svg .drop-mark { fill: #222; stroke: #fff; stroke-width: 0.8; }
figure.multiples .panels { display: flex; flex-wrap: wrap; gap: 4px 16px; }
figure.panel { flex: 1 1 460px; margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0 14px; }
th, td { border: 1px solid var(--rule); padding: 3px 6px; text-align: right; white-space: nowrap; }
th { background: #f5f5f5; font-weight: 600; }
tbody th { text-align: left; }
td.broken { background: #fbe3d4; color: #8a2c00; font-weight: 600; }
td.drop { outline: 2px solid var(--bad); outline-offset: -2px; }
td.wrong { color: var(--bad); }
td.tiny { background: #fff4d6; }
td.significant { font-weight: 700; }
span.rule { display: block; color: var(--muted); font-size: 11px; }
span.rule.used { color: var(--ink); }
table.arch thead th:first-child { text-align: left; }
table.arch .pin { position: sticky; left: 0; z-index: 2; min-width: var(--layer-width); max-width: var(--layer-width); background: #f5f5f5; }
table.arch .pin-train { position: sticky; left: var(--layer-width); z-index: 1; background: #eef4fa; box-shadow: 2px 0 0 var(--rule); }
table.arch td.pin-train.broken { background: #fbe3d4; }
table.meta th, table.meta td { text-align: left; }
table.examples td { text-align: center; vertical-align: top; }
table.examples img { image-rendering: pixelated; image-rendering: crisp-edges; display: block; margin: 0 auto; border: 1px solid var(--rule); }
.caption { font-size: 11px; max-width: 80px; overflow: hidden; text-overflow: ellipsis; }
.caption.right { color: var(--good); }
.caption.wrong, .caption.broken { color: var(--bad); }
.key { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; }
details { margin: 4px 0 14px; }
summary { cursor: pointer; color: var(--good); font-size: 14px; }
pre { background: #f7f7f7; border: 1px solid var(--rule); padding: 10px; overflow-x: auto; font-size: 12px; }
footer { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, summary { display: none; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  table, figure { break-inside: avoid; }
  .scroll { overflow: visible; }
  a { color: inherit; }
}
"""
