// LstmService dashboard: the forecast form. The History box filled from a CSV file (the column taken said under it, and
// another one to pick), the forecast posted and drawn, and the form's inputs forgotten when another version opens.
// Loaded after app.js, whose helpers ($, api, state, shortTime) it uses, and csv.js and history.js, which read the values.
"use strict";

// The first time the last CSV picked for the History box gave (cleared with the box's start by a file that gives none).
let startFromFile = "";
// The training series a CSV file's column named (one of the version's ids), forecast under that id so its own weights, widths
// and dates apply; "" once the history is typed over, or came from a link or another file (it had always been "dashboard").
let seriesFromFile = "";
// The CSV file whose column the History box holds ({ name, text }), read again when another column is picked.
let historyFile = null;

/** The History box no longer holds a file's column (typed over, or a link's): the note, the chooser and its series go. */
function forgetHistoryFile() {
  seriesFromFile = "";
  historyFile = null;
  $("history-file-note").textContent = "";
  $("history-column-label").hidden = true;
  // The chooser lets go of the file too, so picking it again reads it again (the same file had fired no change), and a
  // first time taken from it goes with it (it had been sent with the values typed over the file's).
  $("history-file").value = "";
  if (startFromFile && $("history-start").value === startFromFile) $("history-start").value = "";
  startFromFile = "";
}

/**
 * Another version opened: the previous one's history, file and first time go, so Forecast does not send the previous
 * model's series to this one (a QA pass had forecast one model's values with another).
 */
function forgetForecastInputs() {
  forgetHistoryFile();
  $("history").value = "";
  $("history-file").value = "";
  $("history-start").value = "";
  startFromFile = "";
}

/**
 * Fills the History box from <file>'s column <chosen> (else the column named like one of the version's series, else its
 * last with values) and says under the form which column it took and how many values; throws, leaving the box as it was.
 */
function readHistoryFile(file, chosen) {
  const ids = (state.detail?.timing?.series ?? []).map((s) => s.id).filter(Boolean);
  const series = csvSeries(file.text, ids, chosen);
  $("history").value = series.values.map((v) => (v === null ? "NaN" : String(v))).join(", ");
  historyFile = file;
  seriesFromFile = ids.includes(series.name) ? series.name : "";
  // The file's own first time dates its values (a version that knows its frequency steps from it); a start an earlier
  // file gave goes with a file that has none.
  if (!$("history-start").disabled) {
    if (series.firstTime) $("history-start").value = series.firstTime;
    else if ($("history-start").value === startFromFile) $("history-start").value = "";
    startFromFile = series.firstTime;
  }
  const missing = series.values.filter((v) => v === null).length;
  $("history-file-note").textContent = `From ${file.name}: ${series.where}, ` +
    `${plural(series.values.length - missing, "value", "values")}${missing ? ` and ${missing} missing` : ""}.`;
  $("history-column").replaceChildren(...series.columns.map((c) => el("option", c.label, { value: String(c.index) })));
  $("history-column").value = $("history-column").dataset.column = String(series.column);
  $("history-column-label").hidden = series.columns.length < 2;
}

async function forecast(event) {
  if (event) event.preventDefault();
  if (!state.model) return;
  // Cleared before the history is read: a history refused in the browser ('66..6') had left the previous chart and table
  // under its error, as if they were its forecast.
  $("forecast-chart").replaceChildren();
  clearForecastTable();
  const history = parseHistory($("history").value);
  const horizon = $("forecast-horizon").value;
  const start = $("history-start").disabled ? "" : $("history-start").value.trim();
  const body = { series: [seriesFromFile ? { id: seriesFromFile, history } : { history }] };
  if (horizon) body.horizon = Number(horizon);
  // A dated history (the version's frequency steps it) gets a timestamp per forecast step, which the x axis then shows.
  if (start) body.series[0].start = start;
  let response;
  try {
    response = await api(`/models/${encodeURIComponent(state.model)}/forecast?version=${state.version}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
  } catch (e) {
    // The version deleted elsewhere meanwhile: its panel closes and the list is read again, where both had stayed.
    if (/^404/.test(e.message || "")) { closeVersion(); loadModels().catch(() => {}); }
    throw e;
  }
  const result = await response.json();
  const f = result.forecasts[0];
  const n = history.length;
  const future = f.mean.map((_, i) => n + i);
  const levels = Object.keys(f.quantiles || {}).sort((a, b) => Number(a) - Number(b));
  // The fan spans the outermost quantiles (0.1-0.9 by default); the last observed history point joins it to the history
  // (the last value missing, the fan had started a step early as a flat block over it).
  const last = history.findLastIndex((v) => v !== null && Number.isFinite(v));
  const join = last >= 0 ? { x: [last], y: [history[last]] } : { x: [], y: [] };
  const band = levels.length >= 2 ? {
    x: [...join.x, ...future],
    lo: [...join.y, ...f.quantiles[levels[0]]],
    hi: [...join.y, ...f.quantiles[levels.at(-1)]],
  } : null;
  const frequency = state.detail && state.detail.timing && state.detail.timing.frequency;
  const dated = f.timestamps && f.timestamps.length > 0;
  // Undated, the axis names the history's length and the forecast's steps as the table numbers them (1 to h): it had run
  // from 0 to "49 steps", history and forecast counted together, beside a table of steps 1 to 10.
  const h = f.mean.length;
  const ticks = [
    { x: 0, text: dated ? start || "" : `history of ${n}` },
    { x: n, text: dated ? shortTime(f.timestamps[0], frequency) : "step 1" },
    ...(h > 1 ? [{ x: n + h - 1, text: dated ? shortTime(f.timestamps.at(-1), frequency) : `step ${h}` }] : []),
  ];
  draw($("forecast-chart"), [
    { x: history.map((_, i) => i), y: history, cls: "history" },
    { x: [...join.x, ...future], y: [...join.y, ...f.mean], cls: "mean" },
  ], band, "steps", ticks);
  showForecastTable(f, frequency);
}

document.addEventListener("DOMContentLoaded", () => {
  $("forecast-form").addEventListener("submit", (e) => reportOutcome(forecast(e)));
  $("history").addEventListener("input", forgetHistoryFile);
  $("history-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      readHistoryFile({ name: file.name, text: await file.text() });
      showError(null);
    } catch (error) {
      // The History box keeps what it had; clearing the choice lets the same file, once fixed, be picked again.
      e.target.value = "";
      showError(error);
    }
  });
  $("history-column").addEventListener("change", (e) => {
    try {
      readHistoryFile(historyFile, Number(e.target.value));
      showError(null);
    } catch (error) {
      // A column that is not numbers leaves the box, and the chooser, on the column it held.
      e.target.value = e.target.dataset.column ?? "";
      showError(error);
    }
  });
});
