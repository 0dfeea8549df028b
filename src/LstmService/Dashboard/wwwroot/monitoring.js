// LstmService dashboard: the open version's live monitoring (GET /models/{name}/versions/{v}/monitoring): its streams and
// anomalies, online MASE beside the backtest's, the drift rule's state and its decisions, newest first. Read when a version
// is opened and at each look of jobs.js' periodic refresh. Loaded after app.js, whose helpers ($, api, el, fmt, state) it uses.
"use strict";

// Decisions listed; the rest are counted under the list (a version whose typos flag and clear gathers many).
const MONITORING_DECISIONS = 10;
// Each call's number, so an answer for a version no longer open (or overtaken by a newer read) is dropped.
let monitoringCall = 0;
// The version the panel shows and its answer as last drawn: a refresh that reads the same draws nothing again.
let monitoringShown = { key: "", text: "" };

/** Reads and shows the open version's monitoring; never rejects (a failed read is said in the panel). */
async function loadMonitoring() {
  const call = ++monitoringCall;
  const { model, version, detail } = state;
  const key = model ? `${model}\n${version}` : "";
  // Another version's monitoring no longer applies: hidden until this one's is read.
  if (key !== monitoringShown.key) {
    $("monitoring").hidden = true;
    monitoringShown = { key, text: "" };
  }
  // A classifier has no streams (the service answers 400): nothing is asked, nothing shown.
  if (!model || !detail || detail.architecture.task === "classification") return;
  let m, text;
  try {
    const response = await api(`/models/${encodeURIComponent(model)}/versions/${version}/monitoring`);
    text = await response.text();
    m = JSON.parse(text);
  } catch (e) {
    if (call !== monitoringCall || monitoringShown.key !== key) return;
    showMonitoringLine(`The version's monitoring could not be read: ${e.message || e}`);
    monitoringShown.text = "";
    return;
  }
  if (call !== monitoringCall || monitoringShown.key !== key || text === monitoringShown.text) return;
  monitoringShown.text = text;
  drawMonitoring(m, model, version);
}

/** The panel with one line and nothing else (no streams yet, or a read that failed). */
function showMonitoringLine(line) {
  $("monitoring-summary").textContent = line;
  for (const id of ["monitoring-accuracy", "monitoring-drift", "monitoring-more"]) $(id).textContent = "";
  $("monitoring-decisions").replaceChildren();
  $("monitoring").hidden = false;
}

const localTime = (t) => (t ? new Date(t).toLocaleString() : "–");

function drawMonitoring(m, model, version) {
  const decisions = m.decisions || [];
  if (m.streams === 0 && decisions.length === 0) {
    showMonitoringLine(`No streams on this version: open one with POST /models/${model}/streams?version=${version} and append ` +
      "values to see its online accuracy and drift here (README: Streams and monitoring).");
    return;
  }
  $("monitoring-summary").textContent = `${plural(m.streams, "stream", "streams")}, ${plural(m.anomalies, "anomaly", "anomalies")} flagged.`;
  const online = m.online || {}, backtest = m.backtest;
  $("monitoring-accuracy").textContent = !online.points
    ? "Nothing scored yet: each value appended is scored against the forecasts made for it."
    : `Online MASE ${fmt(online.mase)} over the latest ${plural(online.points, "scored value", "scored values")}` + (!backtest
      ? ", no backtest to compare with."
      : ` vs backtest ${fmt(backtest.mase)}` + (m.maseRatio === null || m.maseRatio === undefined ? "." : `: ratio ${fmt(m.maseRatio)}.`));
  $("monitoring-drift").textContent = driftWords(m.drift || {}, decisions);
  // The API lists them oldest first, in the order they were recorded (a flag and its challenger share a time): reversed.
  const shown = decisions.slice(-MONITORING_DECISIONS).reverse();
  $("monitoring-decisions").replaceChildren(...shown.map((d) => {
    const item = el("li", undefined, { "data-kind": String(d.kind) });
    item.append(el("strong", String(d.kind)), ` · episode ${d.episode} · ${localTime(d.at)}: `, String(d.summary ?? ""));
    return item;
  }));
  const earlier = decisions.length - shown.length;
  $("monitoring-more").textContent = earlier > 0
    ? `${plural(earlier, "earlier decision", "earlier decisions")} not listed (GET /models/${model}/versions/${version}/monitoring has them all).` : "";
  $("monitoring").hidden = false;
}

/**
 * The drift rule's state in words: why it does not judge, drifting since when (at the ratio of its flag), or no drift (and
 * the last episode's end). The rule reads its own window (Monitoring:DriftObservations values, each at every step it was
 * forecast at, since its last decision), not the online MASE's, so "no drift" beside a high ratio names it.
 */
function driftWords(drift, decisions) {
  if (drift.notJudged) return String(drift.notJudged);
  const span = `the latest ${plural(drift.observations, "value", "values")}, each at every step it was forecast at` +
    (drift.scores && drift.scores !== drift.observations ? ` (${drift.scores} scores)` : "");
  const episodes = drift.episodes || 0;
  const unjudged = drift.currentRatio === null || drift.currentRatio === undefined;
  const scored = drift.scoresSoFar ?? 0, filling = scored < drift.scores;
  const soFar = `${plural(scored, "score", "scores")} (${plural(drift.valuesSoFar ?? 0, "value", "values")})`;
  // A window not yet full and no decision yet: the rule has not judged, where "No drift" had read as a verdict.
  if (!drift.flagged && !episodes && unjudged && filling)
    return `Not judged yet: the rule reads ${span}; it has ${soFar} so far.`;
  const rule = `factor ${fmt(drift.factor)}`;
  if (drift.flagged) {
    return `Drifting since ${localTime(drift.since)} (` + (drift.ratio === null || drift.ratio === undefined
      ? `the backtest's MASE was 0, ${rule})` : `ratio ${fmt(drift.ratio)} × backtest at the flag, ${rule})`) +
      (drift.autoRetrain ? "; automatic retraining is on." : ".");
  }
  const cleared = decisions.filter((d) => d.kind === "cleared").at(-1);
  // After a decision the rule reads only values scored since: until it has a window of them, how many it has.
  const now = !unjudged ? `; now ${fmt(drift.currentRatio)} × backtest`
    : filling ? `; ${soFar} since the last decision` : "";
  return "No drift" + (!episodes ? "" : ` (${plural(episodes, "episode", "episodes")}` + (cleared ? `, last cleared ${localTime(cleared.at)})` : ")")) +
    `: the rule reads ${span}${now}; ${rule}.`;
}
