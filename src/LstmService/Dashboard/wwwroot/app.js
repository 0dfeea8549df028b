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
    // The body is read before the panel opens, so "API key refused" and the error saying why appear together (awaiting it
    // after had left a moment where the panel said refused and the error line was still empty).
    let detail = "";
    if (refused) try { detail = (await response.json()).detail || ""; } catch { /* not a ProblemDetails body */ }
    askForKey(refused);
    if (!refused) throw new Error("An API key is needed (401).");
    throw new Error(`The service refused the API key of this tab (401)${detail ? `: ${detail}` : "."} Enter another key above to replace it.`);
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      // The framework's generic title ("One or more validation errors occurred.") says less than the fields below it.
      const generic = problem.errors && /^One or more validation errors occurred\.?$/.test(problem.title || "");
      detail = [generic ? null : problem.title, problem.detail, ...Object.entries(problem.errors || {}).map(([k, v]) => `${k}: ${v.join(" ")}`)]
        .filter(Boolean).join("\n");
    } catch { /* not a ProblemDetails body */ }
    // A key without the role this needs (a read key asked to train): the panel offers to replace it, as for a refused one.
    // Opened once the body is read, so the panel and the error line appear together (before, a check in between saw the
    // panel's message with the error line still empty).
    if (response.status === 403) askForKey(true, "This tab's API key lacks the role this needs (403): enter a key with the 'write' role to replace it.");
    throw new Error(`${response.status}: ${detail}`);
  }
  return response;
}

const getJson = async (path) => (await api(path)).json();

/** Opens the key panel: to give a key, or to replace one the service refused or that lacks a role (<message> says which). */
function askForKey(refused, message) {
  $("key-panel").hidden = false;
  $("key-panel").dataset.refused = String(refused);
  $("key-message").textContent = message || (refused
    ? "The service refused the API key this tab sent (401): it is not a valid key. Enter another to replace it."
    : "The service needs an API key (it answered 401).");
  $("key-submit").textContent = refused ? "Replace key" : "Use key";
  $("key-cancel").hidden = true; // only a change asked for from the header can be called off
  $("key-state").textContent = refused && !message ? "API key refused" : "";
  $("key-input").focus();
}

let errorsShown = 0;

function showError(e) {
  if (e) errorsShown++;
  Object.assign($("error"), { textContent: e ? String(e.message || e) : "", hidden: !e });
}

// Shows an action's failure, and on its success clears the error bar, unless another action showed an error while this
// one was in flight: a file refused during a forecast's round trip had been cleared by the forecast's answer.
function reportOutcome(action) {
  const mark = errorsShown;
  return action.then(() => clearErrorUnlessShownSince(mark), showError);
}

/** Clears the error bar unless an error was shown since <mark> (a value of errorsShown). */
function clearErrorUnlessShownSince(mark) {
  if (errorsShown === mark) showError(null);
}

// Asks for another key (a write key where a read key is set); the current one stays until another is given, and Cancel
// keeps it (the button had dropped it at once, with no way back but typing it again).
function changeKey() {
  askForKey(false, "Enter the API key this tab should use; the current one stays until you do.");
  $("key-cancel").hidden = false;
}

// A number in <digits> significant digits: plain between 0.001 and ten million (1200, not 1.20e+3), else in exponent form
// (1.24e-7), so a column's small values read alike (it had mixed 1.24e-7 and 0.00000158).
const fmt = (x, digits = 3) => {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return "–";
  const v = Number(x), a = Math.abs(v);
  return a === 0 || (a >= 1e-3 && a < 1e7) ? String(Number(v.toPrecision(digits))) : v.toExponential(digits - 1);
};
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const el = (tag, text, attrs = {}) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

// ---------- models ----------

// Each call's number: jobs finishing close together each reload the list, and only the newest call's rows are shown (the
// rows of overlapping calls had been interleaved: every model listed up to three times).
let modelsCall = 0;

/** Every model's aliases, as one text to compare: those the list was drawn from (listedAliases) against a later read. */
const aliasSignature = (summaries) => JSON.stringify(summaries.map((m) => [m.name, Object.entries(m.aliases).sort()]));
let listedAliases = "";

async function loadModels() {
  const call = ++modelsCall;
  const summaries = await getJson("/models");
  listedAliases = aliasSignature(summaries);
  const rows = [];
  for (const summary of summaries) {
    const model = await getJson(`/models/${encodeURIComponent(summary.name)}`);
    for (const v of [...model.versions].reverse()) {
      const detail = await getJson(`/models/${encodeURIComponent(model.name)}/versions/${v.version}`);
      const b = detail.metrics && detail.metrics.backtest;
      const c = detail.metrics && detail.metrics.classification;
      const classifier = detail.architecture.task === "classification";
      const aliases = Object.entries(model.aliases).filter(([, n]) => n === v.version).map(([a]) => a);
      const row = el("tr", undefined, { "data-model": model.name, "data-version": String(v.version) });
      // The model's name is the Open button, in the first column: at a phone's width the last column had been off-screen.
      const open = el("button", model.name, { class: "open", "aria-label": `Open ${model.name} v${v.version}` });
      // An earlier error (a History box since cleared, an upload's) goes once the version opens: it had stayed over its title.
      open.addEventListener("click", () => reportOutcome(selectVersion(model.name, v.version)));
      row.append(el("td"));
      row.cells[0].append(open);
      [`v${v.version}${v.available ? "" : " (unavailable)"}`, detail.architecture.task, aliases.join(", "),
        classifier ? "" : v.inputWindow, classifier ? "" : v.horizon,
        fmt(b && b.model.mase), fmt(b && b.naive.mase), fmt(b && b.seasonalNaive.mase), fmt(b && b.model.smape),
        fmt(c && c.accuracy), fmt(c && c.macroF1)]
        .forEach((text) => row.append(el("td", String(text))));
      if (state.model === model.name && state.version === v.version) row.classList.add("selected");
      rows.push(row);
    }
  }
  if (call !== modelsCall) return;
  $("models").tBodies[0].replaceChildren(...rows);
  // A model whose only job was cancelled has no version to list: the table is empty and says so.
  $("models-empty").hidden = rows.length > 0;
}

/** Closes the open version's panel (its version gone, or a link to a missing one). */
function closeVersion() {
  $("version").hidden = true;
  Object.assign(state, { model: null, version: null, detail: null });
}

async function selectVersion(name, version, fromLink = false) {
  let detail;
  try {
    detail = await getJson(`/models/${encodeURIComponent(name)}/versions/${version}`);
  } catch (e) {
    // A link to a missing version: the panel of the one open before goes, so the address and the panel agree (a forecast
    // had been posted to the old version). A version deleted elsewhere also leaves the list, read again.
    closeVersion();
    if (/^404/.test(e.message || "")) loadModels().catch(() => {});
    throw e;
  }
  // Another version's forecast and inputs no longer apply: the chart, the history and the date go (a monthly start had
  // dated a daily version's forecast; forecast.js).
  if (state.model !== name || state.version !== version) {
    $("forecast-chart").replaceChildren();
    clearForecastTable();
    forgetForecastInputs();
  }
  Object.assign(state, { model: name, version, detail });
  loadMonitoring(); // its own requests, and its errors said in its part (monitoring.js)
  // A link's own hash (with its history and start) stays in the address bar, to be copied.
  if (!fromLink) window.history.replaceState(null, "", `#/models/${encodeURIComponent(name)}/versions/${version}`);
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
    ? `Sampled ${frequencyWords(timing.frequency)}` +
      timing.series.map((s) => `; ${s.id ?? "series"} ran ${shortTime(s.start, timing.frequency)} to ${shortTime(s.end, timing.frequency)}`).join("")
    : "This version does not know its frequency: forecasts are numbered by step.";
  // A version that does not know its frequency cannot date a history: a start left in the box would be refused.
  $("history-start").disabled = !timing;
  // A forecast reaches as far as the version's horizon: more is refused by the service, so the field stops there.
  if (!classifier) {
    $("forecast-horizon").max = String(detail.horizon);
    $("forecast-horizon").placeholder = `1 to ${detail.horizon}`;
    if (Number($("forecast-horizon").value) > detail.horizon) $("forecast-horizon").value = "";
  }
  if (!timing) $("history-start").value = "";

  let curve = detail.metrics && detail.metrics.lossCurve, job = null;
  const run = detail.metrics && detail.metrics.epochsRun, asked = detail.training && detail.training.epochs;
  // The job says the epochs its fit could take (a long series' are capped); needed for an old version's curve too.
  if (detail.jobId && (!curve || run < asked)) {
    try { job = await getJson(`/training-jobs/${detail.jobId}`); } catch { /* the job may be gone */ }
    curve = curve || (job && job.lossCurve);
    // Another version opened meanwhile draws its own: this one's curve and table had been drawn under its title.
    if (state.model !== name || state.version !== version) return;
  }
  drawLoss(curve);
  $("epochs-note").textContent = epochsWords(detail, job);

  const body = $("backtest").tBodies[0];
  body.replaceChildren();
  const b = detail.metrics && detail.metrics.backtest;
  if (b) {
    for (const [label, a] of [["model", b.model], ["naive", b.naive], [`seasonal naive (${b.seasonLength})`, b.seasonalNaive]]) {
      const row = el("tr");
      [label, fmt(a.rmse), fmt(a.mae), fmt(a.mase), fmt(a.smape), a.points].forEach((t) => row.append(el("td", String(t))));
      body.append(row);
    }
    // The share of backtest values inside each interval, beside what it should be (0.1-0.9: 0.80). A horizon near the
    // series' length leaves no window to score: said (the service's own note, which names the length needed; versions
    // stored before it have none), where the table had shown dashes alone.
    $("coverage").textContent = !b.model.points
      ? b.note || "No backtest points: the series is too short for a backtest at this horizon (every window after the training part reaches past its end). Train with a shorter horizon to see one."
      : "Interval coverage (share of backtest values inside): " + Object.entries(b.intervalCoverage || {}).map(([q, c]) => {
        const [lo, hi] = q.split("-").map(Number);
        // Two decimals, as the nominal beside it ("1.00 (nominal 0.80)", where it had read "1 (nominal 0.80)").
        return `${q}: ${c === null || c === undefined ? "–" : Number(c).toFixed(2)}` + (Number.isFinite(lo) && Number.isFinite(hi) ? ` (nominal ${(hi - lo).toFixed(2)})` : "");
      }).join(", ");
  } else {
    const row = el("tr");
    row.append(el("td", "No backtest for this version."));
    body.append(row);
    $("coverage").textContent = "";
  }
  // On a phone the panel opens a screen or more below the list, and Open had seemed to do nothing: once drawn, its title
  // is brought into view and focused.
  if (!fromLink) {
    $("version-title").focus({ preventScroll: true });
    $("version-title").scrollIntoView({ block: "start" });
  }
}

/**
 * How many epochs ran of those asked, and why fewer: a long series' fit is capped by its network steps (the job's epochs
 * say the cap), else early stopping ended it. A QA pass had asked 500, seen 12 run and nothing saying why.
 */
function epochsWords(detail, job) {
  const m = detail.metrics, t = detail.training;
  if (!m || !t || !m.epochsRun) return "";
  const kept = ` The weights of epoch ${m.bestEpoch} are kept.`;
  if (m.epochsRun >= t.epochs) return `${plural(m.epochsRun, "epoch", "epochs")} ran, as asked.` + kept;
  const ran = `${m.epochsRun} of the ${t.epochs} epochs asked ran: `;
  if (job && job.epochs < t.epochs)
    return ran + `this series' fit is capped at ${plural(job.epochs, "epoch", "epochs")} (a budget of network steps per fit, README: Training options)` +
      (m.epochsRun < job.epochs ? `, and early stopping ended it sooner (patience ${t.patience}).` : ".") + kept;
  // Without a validation part (a series too short to hold one out) early stopping reads the training loss.
  const loss = m.loss && m.loss.bestValidationLoss == null ? "training loss (the series is too short to hold out a validation part)" : "validation loss";
  return ran + (job ? `early stopping ended the fit (no better ${loss} for ${plural(t.patience, "epoch", "epochs")}).`
    : "early stopping or the step budget of a long series ended the fit.") + kept;
}

function drawClassification(c) {
  const head = $("confusion").tHead, body = $("confusion").tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  if (!c) { $("class-scores").textContent = "No scores for this version."; return; }
  $("class-scores").textContent = `On the ${c.part} part (${c.sequences} sequences): accuracy ${fmt(c.accuracy, 3)}, ` +
    `macro-F1 ${fmt(c.macroF1, 3)}; training accuracy ${fmt(c.trainingAccuracy, 3)}.` +
    (c.classesNotScored?.length ? ` Not scored (none in the ${c.part} part, none predicted): ${c.classesNotScored.join(", ")}.` : "");
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

// ---------- times (forecast.js draws and posts the forecast) ----------

/** An ISO 8601 duration in plain words ("P1W": weekly, "PT30M": every 30 minutes), the code beside any other. */
function frequencyWords(frequency) {
  const named = { P1Y: "yearly", P3M: "quarterly", P1M: "monthly", P1W: "weekly", P1D: "daily", B: "on business days (Monday to Friday)", PT1H: "hourly", PT1M: "every minute", PT1S: "every second" }[frequency];
  if (named) return named;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(frequency || "");
  if (!m) return `every ${frequency}`;
  const units = ["years", "months", "weeks", "days", "hours", "minutes", "seconds"];
  const parts = units.map((u, i) => (m[i + 1] ? `${m[i + 1]} ${Number(m[i + 1]) === 1 ? u.slice(0, -1) : u}` : null)).filter(Boolean);
  return `every ${parts.join(" ")} (${frequency})`;
}

// A timestamp of the API as the axis shows it: the year of yearly data, the month of monthly or quarterly data, else the
// date alone at midnight UTC, else date and time.
function shortTime(t, frequency) {
  if (/^P\d+Y$/.test(frequency || "")) return t.slice(0, 4);
  if (/^P\d+M$/.test(frequency || "")) return t.slice(0, 7);
  return t.replace(/T00:00:00(\+00:00|Z)$/, "").replace(/:00(\+00:00|Z)$/, "").replace("T", " ");
}

// ---------- start ----------

async function refresh() {
  showError(null);
  const key = sessionStorage.getItem(KEY);
  $("key-state").textContent = key ? "API key set for this tab" : "";
  $("change-key").hidden = !key;
  // Each part on its own: a link that names a missing version still leaves the jobs listed and followed.
  // The first error is shown when it happens, not after the other parts' requests: a refused key's panel and the error
  // saying why then appear together.
  let error = null;
  for (const part of [loadModels, openLink, loadJobs]) {
    try { await part(); } catch (e) { if (!error) showError(error = e); }
  }
}

// A link such as /#/models/sunspots/versions/1 opens that version; ?history=1,2,3 also forecasts from that history, and
// &start=1969 dates it. Followed at load and whenever the hash changes (another link opened in the same tab).
async function openLink() {
  if (!location.hash.startsWith("#/")) return;
  const link = location.hash.match(/^#\/models\/([^/?]+)\/versions\/(\d+)\/?(?:\?(.*))?$/);
  if (!link) throw new Error(`The link ${location.hash} is not one the dashboard reads: #/models/NAME/versions/N, optionally ?history=1,2,3&start=1969.`);
  // Each name=value decoded as written: URLSearchParams would read '+' as a space (2020-01-01T00:00:00+02:00, 1e+5).
  const query = new Map((link[3] || "").split("&").filter(Boolean).map((part) => {
    const at = part.indexOf("=");
    return at < 0 ? [decodeURIComponent(part), ""] : [decodeURIComponent(part.slice(0, at)), decodeURIComponent(part.slice(at + 1))];
  }));
  await selectVersion(decodeURIComponent(link[1]), Number(link[2]), true);
  if (query.has("history")) {
    forgetHistoryFile();
    $("history").value = query.get("history");
    // A link without a start leaves the history undated, not dated by the link opened before it.
    $("history-start").value = query.get("start") || "";
    await forecast();
  }
}

window.addEventListener("hashchange", () => reportOutcome(openLink()));

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("key-input").value.trim());
    $("key-input").value = "";
    $("key-panel").hidden = true;
    refresh();
  });
  $("change-key").addEventListener("click", changeKey);
  $("key-cancel").addEventListener("click", () => { $("key-panel").hidden = true; $("key-cancel").hidden = true; });
  // A form the browser blocks (a name it refuses, a horizon past the field's maximum) clears an earlier error: it had stayed
  // beside the browser's own message, about something else.
  for (const form of ["forecast-form", "upload-form"]) $(form).addEventListener("invalid", () => showError(null), true);
  $("upload-form").addEventListener("submit", (e) => reportOutcome(upload(e)));
  refresh();
});
