// LstmService dashboard: plain JavaScript over the service's own API, charts drawn as inline SVG.
// Every call goes through api(), which adds the API key (kept in sessionStorage) and asks for one on a 401.
"use strict";

const KEY = "lstmservice.apiKey";
const $ = (id) => document.getElementById(id);
const state = { model: null, version: null, detail: null, watched: new Set() };

function headers(extra) {
  const h = new Headers(extra || {});
  const key = sessionStorage.getItem(KEY);
  if (key) h.set("X-Api-Key", key);
  return h;
}

/**
 * fetch with the key; a 401 opens the key panel and rejects, so the caller stops until a key is given. A 401 to a key
 * this tab sent means the key was refused (mistyped, or revoked): the page says so rather than asking as if none were set.
 */
async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: headers(options.headers) });
  if (response.status === 401) {
    const refused = Boolean(sessionStorage.getItem(KEY));
    askForKey(refused);
    if (!refused) throw new Error("An API key is needed (401).");
    let detail = "";
    try { detail = (await response.json()).detail || ""; } catch { /* not a ProblemDetails body */ }
    throw new Error(`The service refused the API key of this tab (401)${detail ? `: ${detail}` : "."} Enter another key above to replace it.`);
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = [problem.title, problem.detail, ...Object.entries(problem.errors || {}).map(([k, v]) => `${k}: ${v.join(" ")}`)]
        .filter(Boolean).join("\n");
    } catch { /* not a ProblemDetails body */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response;
}

const getJson = async (path) => (await api(path)).json();

/** Opens the key panel: to give a key, or to replace one the service refused. */
function askForKey(refused) {
  $("key-panel").hidden = false;
  $("key-panel").dataset.refused = String(refused);
  $("key-message").textContent = refused
    ? "The service refused the API key this tab sent (401): it is not a valid key. Enter another to replace it."
    : "The service needs an API key (it answered 401).";
  $("key-form").querySelector("button").textContent = refused ? "Replace key" : "Use key";
  $("key-state").textContent = refused ? "API key refused" : "";
  $("key-input").focus();
}

function showError(e) {
  const el = $("error");
  el.textContent = e ? String(e.message || e) : "";
  el.hidden = !e;
}

const fmt = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toPrecision(digits));
const el = (tag, text, attrs = {}) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

// ---------- models ----------

async function loadModels() {
  const summaries = await getJson("/models");
  const body = $("models").tBodies[0];
  body.replaceChildren();
  $("models-empty").hidden = summaries.length > 0;
  for (const summary of summaries) {
    const model = await getJson(`/models/${encodeURIComponent(summary.name)}`);
    for (const v of [...model.versions].reverse()) {
      const detail = await getJson(`/models/${encodeURIComponent(model.name)}/versions/${v.version}`);
      const b = detail.metrics && detail.metrics.backtest;
      const c = detail.metrics && detail.metrics.classification;
      const classifier = detail.architecture.task === "classification";
      const aliases = Object.entries(model.aliases).filter(([, n]) => n === v.version).map(([a]) => a);
      const row = el("tr", undefined, { "data-model": model.name, "data-version": String(v.version) });
      [model.name, `v${v.version}${v.available ? "" : " (unavailable)"}`, detail.architecture.task, aliases.join(", "),
        classifier ? "" : v.inputWindow, classifier ? "" : v.horizon,
        fmt(b && b.model.mase), fmt(b && b.naive.mase), fmt(b && b.seasonalNaive.mase), fmt(b && b.model.smape),
        fmt(c && c.accuracy), fmt(c && c.macroF1)]
        .forEach((text) => row.append(el("td", String(text))));
      const open = el("button", "Open");
      open.addEventListener("click", () => selectVersion(model.name, v.version).catch(showError));
      const cell = el("td");
      cell.append(open);
      row.append(cell);
      if (state.model === model.name && state.version === v.version) row.classList.add("selected");
      body.append(row);
    }
  }
}

async function selectVersion(name, version) {
  const detail = await getJson(`/models/${encodeURIComponent(name)}/versions/${version}`);
  Object.assign(state, { model: name, version, detail });
  window.history.replaceState(null, "", `#/models/${encodeURIComponent(name)}/versions/${version}`);
  for (const row of $("models").tBodies[0].rows)
    row.classList.toggle("selected", row.dataset.model === name && row.dataset.version === String(version));
  $("version").hidden = false;
  const cell = (detail.architecture.cell ?? "lstm").toUpperCase();
  const classifier = detail.architecture.task === "classification";
  $("version-title").textContent = classifier
    ? `${name} v${version}: classification into ${detail.architecture.classes.join(", ")}, ${detail.architecture.hiddenSize} hidden units (${cell})`
    : `${name} v${version}: window ${detail.inputWindow}, horizon ${detail.horizon}, ${detail.architecture.hiddenSize ?? "?"} hidden units (${cell})`;
  // A classifier has no backtest and answers /classify, not /forecast: its scores and confusion matrix instead.
  $("backtest-block").hidden = classifier;
  $("forecast-block").hidden = classifier;
  $("classification").hidden = !classifier;
  if (classifier) drawClassification(detail.metrics && detail.metrics.classification);
  // The version's timing says how to date a history: its frequency steps from the first time given.
  const timing = detail.timing;
  $("timing-hint").textContent = timing
    ? `Sampled every ${timing.frequency} (ISO 8601)` +
      timing.series.map((s) => `; ${s.id ?? "series"} ran ${shortTime(s.start, timing.frequency)} to ${shortTime(s.end, timing.frequency)}`).join("")
    : "This version does not know its frequency: forecasts are numbered by step.";
  $("history-start").disabled = !timing;

  let curve = detail.metrics && detail.metrics.lossCurve;
  if (!curve && detail.jobId) {
    try { curve = (await getJson(`/training-jobs/${detail.jobId}`)).lossCurve; } catch { /* the job may be gone */ }
  }
  drawLoss(curve);

  const body = $("backtest").tBodies[0];
  body.replaceChildren();
  const b = detail.metrics && detail.metrics.backtest;
  if (b) {
    for (const [label, a] of [["model", b.model], ["naive", b.naive], [`seasonal naive (${b.seasonLength})`, b.seasonalNaive]]) {
      const row = el("tr");
      [label, fmt(a.rmse), fmt(a.mae), fmt(a.mase), fmt(a.smape), a.points].forEach((t) => row.append(el("td", String(t))));
      body.append(row);
    }
    $("coverage").textContent = "Interval coverage: " +
      Object.entries(b.intervalCoverage || {}).map(([q, c]) => `${q}: ${fmt(c, 2)}`).join(", ");
  } else {
    const row = el("tr");
    row.append(el("td", "No backtest for this version."));
    body.append(row);
    $("coverage").textContent = "";
  }
}

function drawClassification(c) {
  const head = $("confusion").tHead, body = $("confusion").tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  if (!c) { $("class-scores").textContent = "No scores for this version."; return; }
  $("class-scores").textContent = `On the ${c.part} part (${c.sequences} sequences): accuracy ${fmt(c.accuracy, 3)}, ` +
    `macro-F1 ${fmt(c.macroF1, 3)}; training accuracy ${fmt(c.trainingAccuracy, 3)}.`;
  const top = el("tr");
  ["", ...c.classes, "F1"].forEach((t) => top.append(el("th", t)));
  head.append(top);
  c.confusionMatrix.forEach((counts, k) => {
    const row = el("tr", undefined, { "data-class": c.classes[k] });
    row.append(el("th", c.classes[k]));
    counts.forEach((n) => row.append(el("td", String(n))));
    row.append(el("td", fmt(c.f1[k], 3)));
    body.append(row);
  });
}

// ---------- charts ----------

const SVG = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/**
 * Draws lines ({x[], y[], cls}) and an optional band ({x[], lo[], hi[]}) into an svg with axes and min/max labels.
 * Missing values (null, NaN) break a line rather than dropping to zero.
 */
function draw(svg, lines, band, xLabel, ticks) {
  const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
  const pad = { left: 52, right: 10, top: 10, bottom: 24 };
  svg.replaceChildren();
  const xs = [], ys = [];
  const finite = (v) => v !== null && v !== undefined && Number.isFinite(v);
  for (const l of lines) l.x.forEach((x, i) => { if (finite(l.y[i])) { xs.push(x); ys.push(l.y[i]); } });
  if (band) band.x.forEach((x, i) => { xs.push(x); ys.push(band.lo[i], band.hi[i]); });
  const fy = ys.filter(finite);
  if (xs.length === 0 || fy.length === 0) {
    const t = svgEl("text", { x: width / 2, y: height / 2, "text-anchor": "middle" });
    t.textContent = "no data";
    svg.append(t);
    return;
  }
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...fy), Math.max(...fy)];
  if (x0 === x1) x1 = x0 + 1;
  if (y0 === y1) { y0 -= 1; y1 += 1; }
  const sx = (x) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y) => height - pad.bottom - ((y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);

  svg.append(svgEl("line", { class: "axis", x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom }));
  svg.append(svgEl("line", { class: "axis", x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom }));
  const label = (text, attrs) => {
    const t = svgEl("text", attrs);
    t.textContent = text;
    svg.append(t);
  };
  label(fmt(y1), { x: pad.left - 4, y: pad.top + 8, "text-anchor": "end" });
  label(fmt(y0), { x: pad.left - 4, y: height - pad.bottom, "text-anchor": "end" });
  if (ticks) {
    // Dates in place of step numbers: each tick at its step, the first left-aligned and the last right-aligned.
    ticks.forEach((t, i) => {
      svg.append(svgEl("line", { class: "axis", x1: sx(t.x), y1: height - pad.bottom, x2: sx(t.x), y2: height - pad.bottom + 4 }));
      const anchor = i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle";
      label(t.text, { x: sx(t.x), y: height - 8, "text-anchor": anchor, class: "tick" });
    });
  } else {
    label(String(x0), { x: pad.left, y: height - 8 });
    label(`${x1} ${xLabel || ""}`, { x: width - pad.right, y: height - 8, "text-anchor": "end" });
  }

  if (band && band.x.length > 0) {
    const top = band.x.map((x, i) => `${sx(x).toFixed(1)},${sy(band.hi[i]).toFixed(1)}`);
    const bottom = band.x.map((x, i) => `${sx(x).toFixed(1)},${sy(band.lo[i]).toFixed(1)}`).reverse();
    svg.append(svgEl("path", { class: "fan", d: `M${top.join("L")}L${bottom.join("L")}Z` }));
  }
  for (const l of lines) {
    let d = "", pen = false;
    l.x.forEach((x, i) => {
      if (!finite(l.y[i])) { pen = false; return; }
      d += `${pen ? "L" : "M"}${sx(x).toFixed(1)},${sy(l.y[i]).toFixed(1)}`;
      pen = true;
    });
    if (d) svg.append(svgEl("path", { class: `line ${l.cls}`, d }));
  }
}

function drawLoss(curve) {
  const train = (curve && curve.train) || [], validation = (curve && curve.validation) || [];
  draw($("loss-chart"), [
    { x: train.map((_, i) => i + 1), y: train, cls: "train" },
    { x: validation.map((_, i) => i + 1), y: validation, cls: "validation" },
  ], null, "epochs");
}

// ---------- forecast ----------

// A value is read as the server reads one, and anything else is an error naming it: a typo sent as a missing value
// would forecast from another history than the one the user meant.

/** The cells that mark a missing value, as the server's CSV reader has them. */
const MISSING = /^(|nan|na|n\/a|#n\/a|null)$/i;

/**
 * A cell or token as a number, null when it marks a missing value, undefined when it is neither. With decimalComma (a
 * file separated by ';' or tabs) "103,86" is 103.86 and "1.234,5" is 1234.5; "10,701.00" (in a comma-separated file only
 * when quoted) has thousands separators either way.
 */
function parseNumber(text, decimalComma) {
  const t = text.trim();
  if (MISSING.test(t)) return null;
  let n;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) n = Number(t);
  else if (decimalComma && /^[+-]?\d+,\d+$/.test(t)) n = Number(t.replace(",", "."));
  else if (decimalComma && /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) n = Number(t.replace(/\./g, "").replace(",", "."));
  else if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) n = Number(t.replace(/,/g, ""));
  return Number.isFinite(n) ? n : undefined;
}

/** "'x' (value 3)" for up to three problems, then how many more. */
const listProblems = (problems) => problems.slice(0, 3).join("; ") + (problems.length > 3 ? `; and ${problems.length - 3} more` : "");

/**
 * The History box: numbers separated by commas, semicolons, spaces or lines; an empty entry between two separators
 * ("1,,3"), NaN, NA or null is a missing value, and a trailing separator adds none. Throws on any other token.
 */
function parseHistory(text) {
  const trimmed = text.trim();
  const tokens = trimmed === "" ? [] : trimmed.split(/\s*[,;]\s*|\s+/);
  if (tokens.length > 0 && tokens.at(-1) === "") tokens.pop();
  const problems = [];
  const values = tokens.map((t, i) => {
    const v = parseNumber(t, false);
    if (v === undefined) problems.push(`'${t.length > 40 ? t.slice(0, 40) + "…" : t}' (value ${i + 1})`);
    return v;
  });
  if (problems.length > 0)
    throw new Error(`History: not a number: ${listProblems(problems)}. Write numbers with '.' as the decimal point; ` +
      "an empty entry, NaN, NA or null marks a missing value.");
  return values;
}

/**
 * Records of a CSV with the server's quoting rules: a field that starts with '"' may hold the delimiter, line breaks and
 * "" for a quote. Each record has the number of the line it starts on; unclosed is the line of a quote never closed.
 */
function csvRecords(text, delimiter) {
  const records = [];
  let fields = [], field = "", quoted = false, line = 1, start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === "\n") line++; field += ch; }
    } else if (ch === '"' && field.trim() === "") { field = ""; quoted = true; }
    else if (ch === delimiter) { fields.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      records.push({ line: start, fields });
      fields = []; field = ""; line++; start = line;
    } else field += ch;
  }
  if (field !== "" || fields.length > 0) { fields.push(field); records.push({ line: start, fields }); }
  // Blank lines and lines of delimiters only (Excel's ";;") are no records, as on the server.
  return { records: records.filter((r) => !r.fields.every((f) => f.trim() === "")), unclosed: quoted ? start : null };
}

/**
 * The delimiter: the first of tab, ';' and ',' that splits the header and the first rows into the same number of fields
 * (more than one), so "date;sales, EUR" over "2020-01;103,86" is read by ';'. Failing that, the server's rule by the
 * header: a tab, else a semicolon, else a comma.
 */
function pickDelimiter(text) {
  const sample = text.split(/\r?\n/, 50).join("\n");
  for (const d of ["\t", ";", ","]) {
    const counts = csvRecords(sample, d).records.slice(0, 6).map((r) => r.fields.length);
    if (counts.length > 0 && counts[0] > 1 && counts.every((n) => n === counts[0])) return d;
  }
  const header = sample.split("\n").find((l) => l.trim() !== "") || "";
  return ["\t", ";", ","].find((d) => header.includes(d)) || ",";
}

/**
 * The series of a CSV read in the browser: its last column that holds values (a trailing empty column, as Excel's
 * "date,sales," exports, is skipped), below its header when the first row has one. Throws naming the line of a cell that
 * is not a number; a decimal comma is read only in a file separated by ';' or tabs, where it cannot be a delimiter.
 */
function lastColumn(csv) {
  const text = csv.replace(/^\uFEFF/, "");
  const delimiter = pickDelimiter(text);
  const { records, unclosed } = csvRecords(text, delimiter);
  if (unclosed !== null) throw new Error(`CSV line ${unclosed}: a quoted field is never closed.`);
  if (records.length === 0) throw new Error("The CSV file is empty.");
  const decimalComma = delimiter !== ",";
  const width = records[0].fields.length;
  const present = (r, c) => c < r.fields.length && !MISSING.test(r.fields[c].trim());
  const below = records.length > 1 ? records.slice(1) : records;
  let column = width - 1;
  while (column > 0 && !below.some((r) => present(r, column))) column--;

  // The first row is a header when its cell there is text, or is empty and the row holds no number or date (a file
  // without a header may begin with a missing value).
  const first = records[0].fields;
  const firstValue = parseNumber(first[column] ?? "", decimalComma);
  const header = firstValue === undefined ||
    (firstValue === null && !first.some((f) => /^\s*[+-]?\.?\d/.test(f)) && first.some((f) => !MISSING.test(f.trim())));
  const name = header ? first[column].trim() : "";
  const where = `column ${column + 1}${name ? ` ('${name}')` : ""}`;
  const long = header ? idColumn(records, column, decimalComma) : null;
  if (long)
    throw new Error(`CSV: a row per id and time (column ${long.column + 1}, '${long.name}', holds ${long.ids.length} ids: ` +
      `${long.ids.slice(0, 3).join(", ")}${long.ids.length > 3 ? ", ..." : ""}); the History box takes one series. Paste one id's ` +
      "values, or train on the file, which the server reads as one series per id.");
  const problems = [];
  const values = [];
  for (const r of header ? records.slice(1) : records) {
    if (r.fields.length !== width) {
      problems.push(`line ${r.line} has ${r.fields.length} fields, but the ${header ? "header" : "first line"} has ${width}`);
      continue;
    }
    const cell = r.fields[column].trim();
    const v = parseNumber(cell, decimalComma);
    if (v === undefined) problems.push(`line ${r.line}: '${cell.length > 40 ? cell.slice(0, 40) + "…" : cell}' is not a number`);
    else values.push(v);
  }
  if (problems.length > 0)
    throw new Error(`CSV ${where}: ${listProblems(problems)}. An empty cell, NaN or NA marks a missing value` +
      (decimalComma ? "." : "; a decimal comma needs a file separated by ';' or tabs."));
  if (!values.some((v) => v !== null)) throw new Error(`CSV ${where}: no values.`);
  return values;
}

/** Headers that name an id column, as the server's CSV reader has them (Training/CsvLongFormat.cs). */
const ID_WORDS = new Set(["id", "uid", "key", "series", "item", "sku", "store", "shop", "product", "dept", "department", "category",
  "family", "region", "country", "site", "sensor", "station", "code", "name"]);
const ID_SUFFIXES = new Set(["id", "key", "code", "sku"]);

/** Headers that name a time, as the server's CSV reader has them (Training/CsvSeriesReader.cs). */
const TIME_WORDS = new Set(["date", "time", "timestamp", "datetime", "ds", "week", "year", "month", "day", "hour", "minute", "quarter", "period",
  "datum", "zeit", "zeitpunkt", "jahr", "monat", "woche", "stunde", "quartal",
  "année", "annee", "mois", "semaine", "jour", "heure", "trimestre",
  "fecha", "año", "mes", "semana", "día", "hora", "periodo", "período",
  "anno", "mese", "settimana", "giorno",
  "jaar", "maand", "dag", "uur", "tijd", "kwartaal"]);

/** "year", "Date", "week_start", "weekEnding" name a time; "sales" or "yearly_total" do not. */
function isTimeName(name) {
  const words = name.match(/\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})/gu) ?? [];
  return TIME_WORDS.has(name.trim().toLowerCase()) || words.some((w) => TIME_WORDS.has(w.toLowerCase()));
}

/** "store", "unique_id", "shop_id", "itemCode" name an id; "sales" and "product_price" do not. */
function isIdName(name) {
  if (ID_WORDS.has(name.trim().toLowerCase())) return true;
  const words = name.split(/[_\s.-]+/).flatMap((w) => w.match(/\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\d+/gu) ?? []);
  return words.length > 0 && ID_SUFFIXES.has(words.at(-1).toLowerCase());
}

/**
 * In a file in long format (a row per id and time, as the server reads one for training), the column of ids: the first
 * other column named like one (stores 1, 2, 3) or whose present cells are mostly neither numbers nor dates, holding two ids
 * or more, each on several rows, while a column of dates (or of integers under a time's name) repeats its dates too.
 * Without repeated dates a column of text (weekday names) is no id.
 */
function idColumn(records, valueColumn, decimalComma) {
  const rows = records.slice(1);
  const columns = records[0].fields.map((_, c) => rows.map((r) => (r.fields[c] ?? "").trim()).filter((v) => !MISSING.test(v)));
  const isText = (v) => parseNumber(v, decimalComma) === undefined && Number.isNaN(Date.parse(v));
  const repeats = (cells) => new Set(cells).size < cells.length;
  const datesRepeat = columns.some((cells, c) => c !== valueColumn && cells.length > 0 &&
    cells.filter((v) => !Number.isNaN(Date.parse(v)) && parseNumber(v, decimalComma) === undefined).length * 2 > cells.length && repeats(cells));
  // Integers under a time's name (Nixtla's ds = 1, 2, 3 per id, years, week numbers) repeat per id as dates do.
  const countersRepeat = columns.some((cells, c) => c !== valueColumn && cells.length > 0 && isTimeName(records[0].fields[c]) &&
    cells.every((v) => /^[+-]?\d+(\.0+)?$/.test(v)) && repeats(cells)); // 1.0, 2.0: pandas' integers that held NaN
  if (!datesRepeat && !countersRepeat) return null;
  for (let c = 0; c < columns.length; c++) {
    const cells = columns[c];
    const ids = [...new Set(cells)];
    const named = isIdName(records[0].fields[c]);
    if (c !== valueColumn && (named || cells.filter(isText).length * 2 > cells.length) && ids.length >= 2 && repeats(cells))
      return { column: c, name: records[0].fields[c].trim(), ids };
  }
  return null;
}

async function forecast(event) {
  if (event) event.preventDefault();
  if (!state.model) return;
  const history = parseHistory($("history").value);
  const horizon = $("forecast-horizon").value;
  const start = $("history-start").value.trim();
  const body = { series: [{ id: "dashboard", history }] };
  if (horizon) body.horizon = Number(horizon);
  // A dated history (the version's frequency steps it) gets a timestamp per forecast step, which the x axis then shows.
  if (start) body.series[0].start = start;
  const response = await api(`/models/${encodeURIComponent(state.model)}/forecast?version=${state.version}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const result = await response.json();
  const f = result.forecasts[0];
  const n = history.length;
  const future = f.mean.map((_, i) => n + i);
  const levels = Object.keys(f.quantiles || {}).sort((a, b) => Number(a) - Number(b));
  // The fan spans the outermost quantiles (0.1-0.9 by default); the last history point joins it to the history.
  const band = levels.length >= 2 ? {
    x: [n - 1, ...future],
    lo: [history[n - 1] ?? f.quantiles[levels[0]][0], ...f.quantiles[levels[0]]],
    hi: [history[n - 1] ?? f.quantiles[levels.at(-1)][0], ...f.quantiles[levels.at(-1)]],
  } : null;
  const frequency = state.detail && state.detail.timing && state.detail.timing.frequency;
  const ticks = f.timestamps && f.timestamps.length > 0 ? [
    { x: 0, text: start || "" },
    { x: n, text: shortTime(f.timestamps[0], frequency) },
    ...(f.timestamps.length > 1 ? [{ x: n + f.timestamps.length - 1, text: shortTime(f.timestamps.at(-1), frequency) }] : []),
  ] : null;
  draw($("forecast-chart"), [
    { x: history.map((_, i) => i), y: history, cls: "history" },
    { x: [n - 1, ...future], y: [history[n - 1], ...f.mean], cls: "mean" },
  ], band, "steps", ticks);
}

/**
 * A timestamp of the API as the axis shows it: the year of yearly data, the month of monthly or quarterly data, else the
 * date alone at midnight UTC, else date and time.
 */
function shortTime(t, frequency) {
  if (/^P\d+Y$/.test(frequency || "")) return t.slice(0, 4);
  if (/^P\d+M$/.test(frequency || "")) return t.slice(0, 7);
  return t.replace(/T00:00:00(\+00:00|Z)$/, "").replace(/:00(\+00:00|Z)$/, "").replace("T", " ");
}

// ---------- training jobs ----------

async function loadJobs() {
  const jobs = await getJson("/training-jobs?limit=20");
  const body = $("jobs").tBodies[0];
  for (const job of jobs.reverse()) renderJob(job, body);
  for (const job of jobs) if (job.status === "queued" || job.status === "running") watch(job.id);
}

function renderJob(job, body = $("jobs").tBodies[0]) {
  let row = body.querySelector(`tr[data-job="${job.id}"]`);
  if (!row) {
    row = el("tr", undefined, { "data-job": job.id });
    for (let i = 0; i < 7; i++) row.append(el("td"));
    row.cells[2].append(el("progress", undefined, { max: "1", value: "0" }), el("span"));
    body.prepend(row);
  }
  row.dataset.status = job.status;
  row.cells[0].textContent = job.model;
  row.cells[1].textContent = job.error ? `${job.status}: ${job.error}` : job.status;
  const progress = row.cells[2].firstChild;
  progress.max = Math.max(job.epochs, 1);
  progress.value = job.status === "succeeded" ? progress.max : job.epoch;
  // A finished job may have stopped early: its epoch count then says how many ran.
  const finished = ["succeeded", "failed", "cancelled"].includes(job.status);
  row.cells[2].lastChild.textContent = finished ? ` ${job.epoch} epochs` : ` ${job.epoch}/${job.epochs}`;
  row.cells[3].textContent = fmt(job.trainLoss);
  row.cells[4].textContent = fmt(job.validationLoss);
  row.cells[5].textContent = job.version ? `v${job.version}` : "";
  row.cells[6].textContent = new Date(job.createdAt).toLocaleString();
}

/**
 * Follows GET /training-jobs/{id}/events. EventSource cannot send the X-Api-Key header, so the stream is read with
 * fetch and parsed here (server-sent events: "event:" and "data:" lines, a blank line ends an event).
 */
async function watch(id) {
  if (state.watched.has(id)) return;
  state.watched.add(id);
  try {
    const response = await api(`/training-jobs/${id}/events`, { headers: { Accept: "text/event-stream" } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = (block.match(/^event: ?(.*)$/m) || [])[1] || "message";
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
        if (!data) continue;
        const job = JSON.parse(data);
        renderJob(job);
        if (type === "end") {
          if (job.status === "succeeded") await loadModels();
          return;
        }
      }
    }
  } catch (e) {
    showError(e);
  } finally {
    state.watched.delete(id);
  }
}

async function upload(event) {
  event.preventDefault();
  const form = event.target;
  const data = new FormData();
  for (const [name, value] of new FormData(form)) {
    if (name === "name" || value === "" || (value instanceof File && value.size === 0 && name !== "file")) continue;
    data.append(name, value);
  }
  const name = $("upload-name").value.trim();
  const response = await api(`/models/${encodeURIComponent(name)}/training-jobs`, { method: "POST", body: data });
  const job = await response.json();
  renderJob(job);
  watch(job.id);
}

// ---------- start ----------

async function refresh() {
  showError(null);
  const key = sessionStorage.getItem(KEY);
  $("key-state").textContent = key ? "API key set for this tab" : "";
  try {
    await loadModels();
    await openLink();
    await loadJobs();
  } catch (e) {
    showError(e);
  }
}

// A link such as /#/models/sunspots/versions/1 opens that version; ?history=1,2,3 also forecasts from that history, and
// &start=1969 dates it. Followed at load and whenever the hash changes (another link opened in the same tab).
async function openLink() {
  const link = location.hash.match(/^#\/models\/([^/?]+)\/versions\/(\d+)(?:\?history=([^&]*)(?:&start=([^&]*))?)?$/);
  if (!link) return;
  await selectVersion(decodeURIComponent(link[1]), Number(link[2]));
  if (link[3]) {
    $("history").value = decodeURIComponent(link[3]);
    // A link without a start leaves the history undated, not dated by the link opened before it.
    $("history-start").value = link[4] ? decodeURIComponent(link[4]) : "";
    await forecast();
  }
}

window.addEventListener("hashchange", () => openLink().then(() => showError(null), showError));

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("key-input").value.trim());
    $("key-input").value = "";
    $("key-panel").hidden = true;
    refresh();
  });
  $("forecast-form").addEventListener("submit", (e) => forecast(e).then(() => showError(null), showError));
  $("upload-form").addEventListener("submit", (e) => upload(e).then(() => showError(null), showError));
  $("history-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      $("history").value = lastColumn(await file.text()).map((v) => (v === null ? "NaN" : String(v))).join(", ");
      showError(null);
    } catch (error) {
      // The History box keeps what it had; clearing the choice lets the same file, once fixed, be picked again.
      e.target.value = "";
      showError(error);
    }
  });
  refresh();
});
