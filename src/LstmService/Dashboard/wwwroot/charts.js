// LstmService dashboard: line charts with a quantile band, drawn as inline SVG (loaded before app.js, whose $ and fmt they use).

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
  // Narrower than its own units (a phone), the chart is drawn in as many units as it has pixels, its height in proportion,
  // so its labels keep their size: scaled down, they had been 4-7 px high at 375 px.
  if (!svg.dataset.viewBox) svg.dataset.viewBox = svg.getAttribute("viewBox");
  const [, , naturalWidth, naturalHeight] = svg.dataset.viewBox.split(" ").map(Number);
  const shown = svg.getBoundingClientRect().width;
  const scale = shown > 0 && shown < naturalWidth ? shown / naturalWidth : 1;
  svg.setAttribute("viewBox", `0 0 ${Math.round(naturalWidth * scale)} ${Math.round(naturalHeight * Math.max(scale, 0.75))}`);
  const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
  svg.replaceChildren();
  // Redrawn when the window's width changes (below): drawn for one width, its labels had shrunk to 4 px at a phone's.
  svg.redraw = () => draw(svg, lines, band, xLabel, ticks);
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
  // Room for the longer y label at about 6.5 px a character (11 px text): "-1230000" and "1.69e+35" had been cut at the left edge.
  const yTop = fmt(y1), yBottom = fmt(y0);
  const pad = { left: Math.max(52, Math.ceil(6.5 * Math.max(yTop.length, yBottom.length)) + 8), right: 10, top: 10, bottom: 24 };
  const sx = (x) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y) => height - pad.bottom - ((y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);

  svg.append(svgEl("line", { class: "axis", x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom }));
  svg.append(svgEl("line", { class: "axis", x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom }));
  const label = (text, attrs) => {
    const t = svgEl("text", attrs);
    t.textContent = text;
    svg.append(t);
  };
  label(yTop, { x: pad.left - 4, y: pad.top + 8, "text-anchor": "end" });
  label(yBottom, { x: pad.left - 4, y: height - pad.bottom, "text-anchor": "end" });
  if (ticks) {
    // Dates in place of step numbers: each tick at its step, the first left-aligned and the last right-aligned.
    // A label is about 6.5 px a character at 11 px. A middle one (the forecast's first step) that would run into the last
    // is joined to it as a range ("2023-05–2023-07"): a few steps apart, the two had been printed over each other.
    const texts = ticks.map((t) => t.text);
    const widthOf = (text) => 6.5 * text.length;
    const lastX = sx(ticks.at(-1).x);
    for (let i = ticks.length - 2; i > 0; i--)
      if (sx(ticks[i].x) + widthOf(texts[i]) / 2 + 4 > lastX - widthOf(texts.at(-1))) {
        texts[texts.length - 1] = `${texts[i]}–${texts.at(-1)}`;
        texts[i] = null;
      }
    ticks.forEach((t, i) => {
      svg.append(svgEl("line", { class: "axis", x1: sx(t.x), y1: height - pad.bottom, x2: sx(t.x), y2: height - pad.bottom + 4 }));
      if (texts[i] === null) return;
      const anchor = i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle";
      label(texts[i], { x: sx(t.x), y: height - 8, "text-anchor": anchor, class: "tick" });
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
  // A series too short to hold out a validation part has no validation line: its legend had named one anyway.
  document.querySelector("#loss-chart + .legend .validation").hidden = !validation.some((v) => v !== null && Number.isFinite(v));
  draw($("loss-chart"), [
    { x: train.map((_, i) => i + 1), y: train, cls: "train" },
    { x: validation.map((_, i) => i + 1), y: validation, cls: "validation" },
  ], null, "epochs");
}

// Charts are drawn in as many units as they have pixels (draw): a window narrowed or widened after drawing, or a phone
// turned, redraws them at their new width.
let chartResize;
window.addEventListener("resize", () => {
  clearTimeout(chartResize);
  chartResize = setTimeout(() => document.querySelectorAll("svg.chart").forEach((svg) => svg.redraw && svg.redraw()), 150);
});
