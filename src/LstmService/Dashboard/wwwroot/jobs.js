// LstmService dashboard: the training jobs table, followed live (server-sent events) and read again every few seconds,
// and the CSV upload that starts one. Loaded after app.js, whose helpers (api, getJson, el, fmt, state) it uses.
"use strict";

async function loadJobs() {
  const jobs = await getJson("/training-jobs?limit=20");
  const body = $("jobs").tBodies[0];
  // A succeeded job whose version Models does not list (trained through Swagger UI or curl, or ended between the two
  // lists' reads) reloads it, once per job: a version deleted since is not asked for at every look.
  let ended = false;
  for (const job of jobs.reverse()) {
    renderJob(job, body);
    if (job.status !== "succeeded" || !job.version || reconciled.has(job.id)) continue;
    reconciled.add(job.id);
    if (!listedVersion(job)) ended = true;
  }
  // The last 20, as listed: rows of jobs that fell out of the list go (the table had grown past it).
  const listed = new Set(jobs.map((j) => j.id));
  for (const row of [...body.rows]) if (!listed.has(row.dataset.job)) row.remove();
  // An empty list says so, as the models' does (it had shown the headers alone).
  $("jobs-empty").hidden = body.rows.length > 0;
  jobsLoaded = true;
  for (const job of jobs) if (job.status === "queued" || job.status === "running") watch(job.id);
  if (ended) await loadModels();
  markDeletedVersions(jobs);
}

/**
 * A succeeded job whose version Models no longer lists (deleted with its model, or alone) says so: a QA pass had seen
 * "v3" beside jobs whose models were gone, with nothing to open. Asked after the models were read again for new versions.
 */
function markDeletedVersions(jobs) {
  for (const job of jobs) {
    if (job.status !== "succeeded" || !job.version) continue;
    const row = $("jobs").tBodies[0].querySelector(`tr[data-job="${job.id}"]`);
    if (!row) continue;
    row.dataset.gone = listedVersion(job) ? "" : "1";
    row.cells[5].textContent = versionWords(job, row);
  }
}

/** The models table's row of a job's version, or null. */
function listedVersion(job) {
  return $("models").tBodies[0].querySelector(`tr[data-model="${CSS.escape(job.model)}"][data-version="${job.version}"]`);
}

/** "v3", or "v3 (deleted)" once the list read after the job's end no longer holds it (a live update keeps the mark). */
const versionWords = (job, row) => (job.version ? `v${job.version}` : "") + (job.version && row.dataset.gone === "1" ? " (deleted)" : "");

// Jobs started elsewhere (Swagger UI, curl) had appeared only after a reload: the list is read again every few seconds
// while the tab is in view and no key is being asked for; its errors wait for the next look rather than cover the page.
let jobsLoaded = false;
const reconciled = new Set();
const JOB_POLL_MS = 5000;
setInterval(() => {
  if (document.visibilityState !== "visible" || !$("key-panel").hidden || !jobsLoaded) return;
  loadJobs().then(checkModels).catch(() => {}).then(loadMonitoring); // the open version's monitoring too (monitoring.js)
}, JOB_POLL_MS);

// The models list as last read, one row per listed version: a model or version deleted elsewhere (curl, another tab) had
// stayed listed, and open, until a reload, its Forecast and Open answering 404. One request per look finds that out (each
// model's count of versions: a version deleted had been missed, the names alone compared); the list is read again only
// when it changed, and an open version no longer listed closes.
async function checkModels() {
  const summaries = await getJson("/models");
  const listed = new Map();
  for (const r of $("models").tBodies[0].rows) listed.set(r.dataset.model, (listed.get(r.dataset.model) || 0) + 1);
  const now = new Map(summaries.filter((m) => m.versions > 0).map((m) => [m.name, m.versions]));
  // Aliases set or moved elsewhere (curl, Swagger UI) too: the counts alone had left them unlisted until a reload.
  if (aliasSignature(summaries) === listedAliases && listed.size === now.size && [...now].every(([name, n]) => listed.get(name) === n)) return;
  await loadModels();
  const open = [...$("models").tBodies[0].rows].some((r) => r.dataset.model === state.model && r.dataset.version === String(state.version));
  if (state.model && !open) closeVersion();
}

function renderJob(job, body = $("jobs").tBodies[0]) {
  let row = body.querySelector(`tr[data-job="${job.id}"]`);
  if (!row) {
    row = el("tr", undefined, { "data-job": job.id });
    for (let i = 0; i < 7; i++) row.append(el("td"));
    row.cells[2].append(el("progress", undefined, { max: "1", value: "0", "aria-label": `Training progress of ${job.model}` }), el("span"));
    body.prepend(row);
    $("jobs-empty").hidden = true;
  }
  // A job's end is final: an answer read before it (a cancel's 202, a list read as the job ended) does not undo it.
  const ends = ["succeeded", "failed", "cancelled"];
  if (ends.includes(row.dataset.status) && !ends.includes(job.status)) return;
  row.dataset.status = job.status;
  row.cells[0].textContent = job.model;
  // A running job asked to stop says so until it ends cancelled at its epoch's end (README: POST /training-jobs/{id}/cancel).
  const status = job.status === "running" && job.cancelRequested ? "running (cancelling…)" : job.status;
  row.cells[1].textContent = job.error ? `${status}: ${job.error}` : status;
  if (job.status === "queued" || (job.status === "running" && !job.cancelRequested)) row.cells[1].append(cancelButton(job));
  const progress = row.cells[2].firstChild;
  progress.max = Math.max(job.epochs, 1);
  progress.value = job.status === "succeeded" ? progress.max : job.epoch;
  // A finished job may have stopped early: its epoch count then says how many ran. A cancelled or failed one says where it
  // stopped, and its bar is grey (style.css): cancelled at its last epoch, it had shown the full blue bar of a success.
  const finished = ends.includes(job.status);
  row.cells[2].lastChild.textContent = job.status === "succeeded" ? ` ${plural(job.epoch, "epoch", "epochs")}`
    : finished ? ` ${job.status} at epoch ${job.epoch} of ${job.epochs}` : ` ${job.epoch}/${job.epochs}`;
  row.cells[3].textContent = fmt(job.trainLoss);
  row.cells[4].textContent = fmt(job.validationLoss);
  row.cells[5].textContent = versionWords(job, row);
  row.cells[6].textContent = new Date(job.createdAt).toLocaleString();
  if (job.id === uploadedJob) showUploadStatus(job);
}

/** Cancel for a queued or running job: a queued one ends cancelled at once, a running one at its epoch's end (202). */
function cancelButton(job) {
  const button = el("button", "Cancel", { type: "button", "aria-label": `Cancel the training job for ${job.model}` });
  button.addEventListener("click", async () => {
    button.disabled = true;
    const mark = errorsShown;
    try {
      renderJob(await (await api(`/training-jobs/${job.id}/cancel`, { method: "POST" })).json());
      clearErrorUnlessShownSince(mark);
      // The button is gone with the cell it was in: focus moves to the job's new status, where it had fallen to the page.
      const status = $("jobs").tBodies[0].querySelector(`tr[data-job="${job.id}"]`)?.cells[1];
      if (status) { status.tabIndex = -1; status.focus(); }
    } catch (e) {
      button.disabled = false;
      showError(e); // a read key answers 403, and the key panel offers to replace it
    }
  });
  return button;
}

// The job the upload form started: its line under the form follows it to its end (it had said "Queued" for good, and a
// failure's error showed only in the jobs table).
let uploadedJob = null;

function showUploadStatus(job) {
  const line = $("upload-status");
  const words = {
    queued: `Queued: training job for '${job.model}' (see Training jobs below).`,
    running: job.cancelRequested ? `Cancelling: training job for '${job.model}'.` : `Running: training job for '${job.model}', epoch ${job.epoch} of ${job.epochs}.`,
    succeeded: `Succeeded: version ${job.version} of '${job.model}'.`,
    failed: `Failed: ${job.error || "the job failed"}`,
    // Its error says why where no cancel of the user's did it (its model deleted).
    cancelled: `Cancelled: training job for '${job.model}'` + (job.error ? `: ${job.error}` : "."),
  };
  line.textContent = words[job.status] ?? job.status;
  line.classList.toggle("error", job.status === "failed");
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
  const button = form.querySelector("button");
  // One submit at a time: a double click had queued two jobs (versions 1 and 2 of one upload).
  if (button.disabled) return;
  const data = new FormData();
  for (const [name, value] of new FormData(form)) {
    if (name === "name" || value === "" || (value instanceof File && value.size === 0 && name !== "file")) continue;
    data.append(name, value);
  }
  const name = $("upload-name").value.trim();
  button.disabled = true;
  $("upload-status").textContent = "Sending...";
  try {
    const response = await api(`/models/${encodeURIComponent(name)}/training-jobs`, { method: "POST", body: data });
    const job = await response.json();
    uploadedJob = job.id;
    renderJob(job);
    watch(job.id);
  } catch (e) {
    uploadedJob = null;
    $("upload-status").textContent = "";
    $("upload-status").classList.remove("error");
    throw e;
  } finally {
    button.disabled = false;
  }
}

// The second click of a double click is no second upload, however soon the first was answered: the disabled button alone
// had let a quick answer on a loaded machine enable it again between the two clicks (two jobs in a CI run).
document.querySelector("#upload-form button").addEventListener("click", (e) => { if (e.detail > 1) e.preventDefault(); });
