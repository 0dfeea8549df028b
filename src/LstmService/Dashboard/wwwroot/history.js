// LstmService dashboard: reading the History box (pasted or typed values, or a link's ?history=) as numbers. Uses csv.js'
// parseNumber, MISSING, outOfRange, quoteValue and listProblems (loaded before it).
"use strict";

/**
 * How the box's commas read: "decimal" where values are separated by ';' (105,5; 104,5), or by spaces or lines alone with
 * every comma between two digits and no '.' (50,0 69,2), as the CSV reader reads a ';' file; else "list", commas and spaces
 * separating values (1,2,3 or 1.5, 2.5). A QA pass had seen "105,5; 104,5" read as 105, 5, 104, 5.
 */
function historyCommas(text) {
  if (text.includes(";")) return "decimal";
  const commas = [...text.matchAll(/,/g)].map((m) => m.index);
  const betweenDigits = (i) => /\d/.test(text[i - 1] ?? "") && /\d/.test(text[i + 1] ?? "");
  return commas.length > 0 && /\s/.test(text) && !text.includes(".") && commas.every(betweenDigits) && !listedOnALine(text)
    ? "decimal" : "list";
}

/** Commas between two digits in one chunk of the box (a run without white space). */
const digitCommas = (chunk) => (chunk.match(/\d,(?=\d)/g) ?? []).length;

/**
 * Whether some line or chunk holds two or more commas between digits (112,118,132): no decimal number does, so the box is a
 * comma list, each line a row of it. A QA pass had pasted rows of twelve monthly counts: read with decimal commas, each
 * row had become one number of 35 digits (1.12e+35), and the page forecast from three of them.
 */
const listedOnALine = (text) => text.split(/\s+/).some((chunk) => digitCommas(chunk) >= 2);

/**
 * A value of a comma-separated list that reads two ways, or undefined: "1,234.5" (a thousands separator, or 1 and 234.5?),
 * or a comma between two digits where other commas or spaces separate values ("1,5, 2,5", "1,2 3.5": decimal commas, or
 * more values?). Refused rather than guessed: a guess forecasts another history than the one meant.
 */
function ambiguousListValue(text) {
  const thousands = /(?<![\d.])[+-]?\d{1,3}(,\d{3})+\.\d+/.exec(text);
  if (thousands) return thousands[0];
  const chunks = text.split(/\s+/);
  // Rows of a comma list (several commas between digits on a line) show what each comma is, a row of two values too.
  if (listedOnALine(text)) return undefined;
  const tight = chunks.find((c) => /\d,\d/.test(c));
  const spaced = /[ \t],|,[ \t]/.test(text) || chunks.some((c, i) => i > 0 && !chunks[i - 1].endsWith(",") && !c.startsWith(","));
  return tight && spaced ? tight.replace(/^,+|,+$/g, "") : undefined;
}

/**
 * The History box: numbers separated by commas, semicolons, spaces or lines (decimal commas as historyCommas says); an
 * empty entry between two separators ("1,,3"), NaN, NA or null is a missing value, and a trailing separator adds none.
 * Throws naming any other token, and a value that reads two ways.
 */
function parseHistory(text) {
  const trimmed = text.trim();
  const decimal = historyCommas(trimmed) === "decimal";
  // Decimal commas read from the layout alone (no ';'): a comma before exactly three digits may as well separate two values
  // or group thousands ("112,118" on each line had read as 112.118).
  const threeDecimals = decimal && !trimmed.includes(";") ? trimmed.split(/\s+/).find((c) => /^[+-]?\d+,\d{3}$/.test(c)) : undefined;
  if (threeDecimals !== undefined)
    throw new Error(`History: ${quoteValue(threeDecimals)} reads two ways: two values, a thousands separator or a decimal comma. ` +
      "Separate values by a comma and a space (112, 118), or by ';' to use decimal commas (112,118; 132,129).");
  if (!decimal) {
    const ambiguous = ambiguousListValue(trimmed);
    if (ambiguous !== undefined)
      throw new Error(`History: ${quoteValue(ambiguous)} reads two ways: its comma may be a decimal comma, a thousands separator ` +
        "or a separator between values. Separate values by a comma and a space (1, 234.5), or by ';' to use decimal commas " +
        "(105,5; 104,5).");
  }
  const tokens = trimmed === "" ? [] : trimmed.split(decimal ? /\s*;\s*|\s+/ : /\s*[,;]\s*|\s+/);
  if (tokens.length > 0 && tokens.at(-1) === "") tokens.pop();
  const problems = [], outside = [];
  const values = tokens.map((t, i) => {
    const v = parseNumber(t, decimal);
    if (v === undefined) (outOfRange(t) ? outside : problems).push(`${quoteValue(t)} (value ${i + 1})`);
    return v;
  });
  if (outside.length > 0) throw new Error(`History: out of range: ${listProblems(outside)}: beyond the largest number a value can be.`);
  if (problems.length > 0)
    throw new Error(`History: not a number: ${listProblems(problems)}. ` + (decimal
      ? "Values separated by ';' (or by spaces with commas between digits) read a comma as the decimal comma; "
      : "Write numbers with '.' as the decimal point (or separate values by ';' to use decimal commas); ") +
      "an empty entry, NaN, NA or null marks a missing value.");
  return values;
}
