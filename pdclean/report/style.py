"""The report's inline CSS (scoped to ``.pdclean-report``) and its one small script.

The script makes every ``table.sortable`` sortable by a click on a header cell (numeric cells
by their ``data-v`` value) and honours a ``?sort=<table id>:<column>[:desc]`` query parameter by
clicking that header on load, so that a saved link (or a test) opens a table sorted.
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """
.pdclean-report{--ink:#1f2430;--muted:#5f6673;--line:#e3e6eb;--bg:#f6f7f9;--card:#fff;
 --good:#2e9e5b;--warning:#e09b1a;--bad:#d64541;--unknown:#8a8f98;
 font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,
 sans-serif;color:var(--ink)}
body.pdclean-page{margin:0;background:var(--bg)}
.pdclean-report.compact{background:#fff;padding:14px 16px;border-radius:10px}
.pdclean-report.compact h2{margin-top:18px}
.pdclean-report .page{max-width:1180px;margin:0 auto;padding:28px 32px 48px}
.pdclean-report header.top{display:flex;justify-content:space-between;align-items:flex-end;
 gap:24px;border-bottom:1px solid var(--line);padding-bottom:18px;margin-bottom:20px}
.pdclean-report h1{font-size:26px;margin:0 0 4px;font-weight:650;letter-spacing:-.01em}
.pdclean-report h2{font-size:19px;margin:34px 0 6px;font-weight:650}
.pdclean-report h3{font-size:15px;margin:0 0 6px;font-weight:600}
.pdclean-report .sub{color:var(--muted);margin:0}
.pdclean-report .health{text-align:right;min-width:220px}
.pdclean-report .health .value{font-size:40px;font-weight:700;line-height:1}
.pdclean-report .health .label{color:var(--muted);font-size:12px;text-transform:uppercase;
 letter-spacing:.06em}
.pdclean-report .meter{height:8px;background:var(--line);border-radius:4px;margin-top:8px;
 overflow:hidden}
.pdclean-report .meter span{display:block;height:100%}
.pdclean-report .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));
 gap:12px}
.pdclean-report .card{background:var(--card);border:1px solid var(--line);border-radius:10px;
 padding:12px 14px 12px 16px;border-left:5px solid var(--unknown);box-shadow:0 1px 2px #0000000a}
.pdclean-report .card.good{border-left-color:var(--good)}
.pdclean-report .card.warning{border-left-color:var(--warning)}
.pdclean-report .card.bad{border-left-color:var(--bad)}
.pdclean-report .card.clear{opacity:.82}
.pdclean-report .card.skipped{background:#fbfbfc;border-style:dashed;border-left-style:solid}
.pdclean-report .card a{color:inherit;text-decoration:none}
.pdclean-report .card .count{font-size:26px;font-weight:700;line-height:1.1;margin:2px 0}
.pdclean-report .card .count small{font-size:13px;font-weight:500;color:var(--muted)}
.pdclean-report .card p{margin:4px 0 0;color:var(--muted);font-size:12.5px}
.pdclean-report .pill{display:inline-block;border-radius:999px;padding:1px 8px;font-size:12px;
 font-weight:600;color:#fff;background:var(--unknown)}
.pdclean-report .pill.good{background:var(--good)}
.pdclean-report .pill.warning{background:var(--warning)}
.pdclean-report .pill.bad{background:var(--bad)}
.pdclean-report .note{color:var(--muted);font-size:13px}
.pdclean-report .panel{background:var(--card);border:1px solid var(--line);border-radius:10px;
 padding:16px 18px;margin-top:12px}
.pdclean-report .pictures{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.pdclean-report .pictures>figure{margin:0;flex:0 1 auto}
.pdclean-report figcaption{color:var(--muted);font-size:12.5px;max-width:440px;margin-top:4px}
.pdclean-report .map figcaption,.pdclean-report figure.map figcaption{max-width:720px}
.pdclean-report .section-body{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}
.pdclean-report .section-body>.table-wrap{flex:0 1 auto;min-width:0}
.pdclean-report .section-body>.pictures{flex:1 1 420px;flex-direction:column}
.pdclean-report .table-wrap{overflow-x:auto}
.pdclean-report table{border-collapse:collapse;min-width:360px;font-size:13px;
 font-variant-numeric:tabular-nums}
.pdclean-report caption{text-align:left;color:var(--muted);padding-bottom:6px;font-size:12.5px}
.pdclean-report th,.pdclean-report td{padding:5px 14px;border-bottom:1px solid var(--line);
 text-align:left;white-space:nowrap}
.pdclean-report thead th{background:#eef0f4;font-weight:600;cursor:pointer;user-select:none;
 position:sticky;top:0}
.pdclean-report thead th[aria-sort=ascending]::after{content:" \\25B2";font-size:10px}
.pdclean-report thead th[aria-sort=descending]::after{content:" \\25BC";font-size:10px}
.pdclean-report tbody th{font-weight:600}
.pdclean-report td.num{text-align:right}
.pdclean-report tbody tr:hover{background:#f3f6fb}
.pdclean-report td.barcell{width:160px}
.pdclean-report .bar{display:block;height:10px;border-radius:2px;min-width:1px}
.pdclean-report .more{color:var(--muted);font-size:12.5px;margin:6px 0 0}
.pdclean-report svg.chart{max-width:100%;height:auto;font-size:11px}
.pdclean-report svg .frame{fill:#fff;stroke:#cfd4db}
.pdclean-report svg .grid{stroke:#eef0f3}
.pdclean-report svg .tick{fill:#5f6673;font-size:10.5px}
.pdclean-report svg .axis{fill:#3a404b;font-size:11.5px}
.pdclean-report svg .caption{fill:#5f6673;font-size:11.5px}
.pdclean-report svg .legend{fill:#3a404b;font-size:11px}
.pdclean-report svg .cell{fill:#1f2430;font-size:11px}
.pdclean-report svg .cell.dark{fill:#fff}
.pdclean-report svg .ring{fill:none;stroke-width:2}
.pdclean-report svg .ring.label{stroke:#d64541}
.pdclean-report svg .ring.other{stroke:#222}
.pdclean-report svg .threshold{stroke:#1f2430;stroke-dasharray:4 3;stroke-width:1.5}
.pdclean-report footer{margin-top:40px;color:var(--muted);font-size:12px;
 border-top:1px solid var(--line);padding-top:12px}
@media print{.pdclean-report thead th{position:static}}
"""

SCRIPT = """
(function () {
  function key(td) {
    var v = td.getAttribute("data-v");
    return v === null ? td.textContent.trim().toLowerCase() : parseFloat(v);
  }
  function sortBy(table, col, desc) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (typeof x !== typeof y) { x = String(x); y = String(y); }
      var c = x < y ? -1 : (x > y ? 1 : 0);
      return desc ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.setAttribute("aria-sort", i === col ? (desc ? "descending" : "ascending") : "none");
    });
    table.setAttribute("data-sorted", col + (desc ? ":desc" : ":asc"));
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      function go() { sortBy(table, i, th.getAttribute("aria-sort") === "ascending"); }
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
    });
  });
  var m = /[?&]sort=([^&]+)/.exec(window.location.search);
  if (m) {
    var p = decodeURIComponent(m[1]).split(":"), t = document.getElementById(p[0]);
    var th = t && t.tHead.rows[0].cells[parseInt(p[1], 10)];
    if (th) { th.click(); if (p[2] === "desc") { th.click(); } }
  }
})();
"""
