// LstmService dashboard: the forecast's values as a table under its chart and as a CSV file to download (the chart alone
// gave no number to read or copy). Uses app.js' helpers ($, el, fmt, shortTime), which exist by the time a forecast is shown.
"use strict";

let forecastCsvUrl = null;

/** Hides the table and the download of a forecast no longer shown (a new forecast asked for, another version opened). */
function clearForecastTable() {
  $("forecast-values").hidden = true;
  $("forecast-table").tHead.replaceChildren();
  $("forecast-table").tBodies[0].replaceChildren();
  $("forecast-note").textContent = "";
  if (forecastCsvUrl) URL.revokeObjectURL(forecastCsvUrl);
  forecastCsvUrl = null;
}

/**
 * Shows forecast <f> (one entry of the API's `forecasts`) as rows of its steps, each with its time when the version
 * dates it, the mean and every quantile, in four significant digits; the CSV holds the same columns at full precision.
 */
function showForecastTable(f, frequency) {
  clearForecastTable();
  const levels = Object.keys(f.quantiles || {}).sort((a, b) => Number(a) - Number(b));
  const dated = Array.isArray(f.timestamps) && f.timestamps.length === f.mean.length;
  const columns = [dated ? "time" : "step", "mean", ...levels.map((q) => `q${q}`)];
  const top = el("tr");
  columns.forEach((c) => top.append(el("th", c, c.startsWith("q")
    ? { title: `The ${c.slice(1)} quantile: the value the series is forecast to stay below with probability ${c.slice(1)}.` }
    : c === "mean" ? { title: "The mean forecast: the mix of the network and the classical forecasters." } : {})));
  $("forecast-table").tHead.append(top);
  const rows = f.mean.map((m, i) => [dated ? f.timestamps[i] : i + 1, m, ...levels.map((q) => f.quantiles[q][i])]);
  const body = $("forecast-table").tBodies[0];
  for (const [first, ...values] of rows) {
    const row = el("tr");
    row.append(el("td", dated ? shortTime(first, frequency) : String(first)));
    values.forEach((v) => row.append(el("td", fmt(v, 4))));
    body.append(row);
  }
  const csv = [columns.join(","), ...rows.map((r) => r.map((v) => (v === null || v === undefined ? "" : String(v))).join(","))].join("\n") + "\n";
  forecastCsvUrl = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  $("forecast-csv").href = forecastCsvUrl;
  // The version's name in the file's: every download had been forecast.csv.
  $("forecast-csv").download = `forecast-${state.model}-v${state.version}.csv`;
  // Said of the version, not of these values: "Clamped at zero" on a forecast far from zero had read as values cut.
  $("forecast-note").textContent = f.clampedAtZero
    ? "Never below zero: this version floors its forecasts at zero, as its training series was never negative." : "";
  $("forecast-values").hidden = false;
}
