// LstmService dashboard: reading the History box and CSV files in the browser as the server reads them (loaded before app.js).

// A value is read as the server reads one, and anything else is an error naming it: a typo sent as a missing value
// would forecast from another history than the one the user meant.

/** The cells that mark a missing value, as the server's CSV reader has them. */
const MISSING = /^(|nan|na|n\/a|#n\/a|null)$/i;

/**
 * A cell or token as a number, null when it marks a missing value, undefined when it is neither. With decimalComma (a
 * file separated by ';' or tabs) "103,86" is 103.86 and "1.234,5" is 1234.5; "10,701.00" (in a comma-separated file only
 * when quoted) has thousands separators either way, as has "98 821,16" (a space, no-break or narrow no-break space).
 */
function parseNumber(text, decimalComma) {
  const t = text.trim();
  if (MISSING.test(t)) return null;
  let n;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) n = Number(t);
  else if (decimalComma && /^[+-]?\d+,\d+$/.test(t)) n = Number(t.replace(",", "."));
  else if (decimalComma && /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) n = Number(t.replace(/\./g, "").replace(",", "."));
  else if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) n = Number(t.replace(/,/g, ""));
  else if (/^[+-]?\d{1,3}([ \u00A0\u202F]\d{3})+([.,]\d+)?$/.test(t) && (decimalComma || !t.includes(",")))
    n = Number(t.replace(/[ \u00A0\u202F]/g, "").replace(",", "."));
  return Number.isFinite(n) ? n : undefined;
}

/** A number written as one whose value a double cannot hold ('1e400'): out of range, where "not a number" had sent the user to the decimal point. */
const outOfRange = (text) => /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) && !Number.isFinite(Number(text.trim()));

/** A value quoted in an error, cut at 40 characters. */
const quoteValue = (t) => `'${t.length > 40 ? t.slice(0, 40) + "…" : t}'`;

/** "'x' (value 3)" for up to three problems, then how many more. */
const listProblems = (problems) => problems.slice(0, 3).join("; ") + (problems.length > 3 ? `; and ${problems.length - 3} more` : "");

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
 * The series of a CSV read in the browser: the column whose header is one of <names> (the version's training series), else
 * its last column that holds values (a trailing empty column, as Excel's "date,sales," exports, is skipped), below its
 * header when the first row has one; and the first time, from a first column whose header names a time. Throws naming the
 * line of a cell that is not a number; a decimal comma is read only in a file separated by ';' or tabs, where it cannot
 * be a delimiter. A QA pass had picked a file of widgets and gadgets for a version trained on both: the History box took
 * the last column, gadgets, and the first time stayed empty, so the forecast was numbered by step.
 */
function csvSeries(csv, names = [], chosen = undefined) {
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
  // A header cell is text: a version whose series are numbered ("1", "2") does not take a first value for a name.
  const named = records.length > 1
    ? records[0].fields.findIndex((f, c) => names.includes(f.trim()) && parseNumber(f, decimalComma) === undefined && below.some((r) => present(r, c)))
    : -1;
  if (named >= 0) column = named;
  // A column picked by the user (the form's column chooser) wins over both.
  if (chosen !== undefined && chosen < width) column = chosen;

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
      problems.push(`line ${r.line} has ${plural(r.fields.length, "field", "fields")}, but the ${header ? "header" : "first line"} has ${width}`);
      continue;
    }
    const cell = r.fields[column].trim();
    const v = parseNumber(cell, decimalComma);
    if (v === undefined) problems.push(`line ${r.line}: ${quoteValue(cell)} ${outOfRange(cell) ? "is out of range" : "is not a number"}`);
    else values.push(v);
  }
  if (problems.length > 0)
    throw new Error(`CSV ${where}: ${listProblems(problems)}. An empty cell, NaN or NA marks a missing value` +
      (decimalComma ? "." : "; a decimal comma needs a file separated by ';' or tabs."));
  if (!values.some((v) => v !== null)) throw new Error(`CSV ${where}: no values.`);
  const cell = header && column > 0 && isTimeName(first[0]) && records.length > 1 ? records[1].fields[0].trim() : "";
  const firstTime = START_FORMS.test(cell) ? cell : "";
  // The columns a user may pick instead: those with values, but a first column that names a time.
  const columns = first.map((f, c) => ({ index: c, label: `column ${c + 1}${header && f.trim() ? ` ('${f.trim()}')` : ""}` }))
    .filter((c) => below.some((r) => present(r, c.index)) && !(header && c.index === 0 && isTimeName(first[0])));
  return { values, name, firstTime, column, where, columns };
}

/**
 * The first times a forecast's start takes (Infrastructure/Timestamps.cs): a year, a month, a quarter, an ISO date or
 * date-time. A file's other forms (31/12/2020, a week's number) fill nothing: the service would refuse them as a start.
 */
const START_FORMS = /^\d{4}(-Q[1-4]|-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}(:?\d{2})?)?| \d{2}:\d{2}(:\d{2}([+-]\d{2}(:\d{2})?)?)?)?)?)?$/;

/** Headers that name an id column, as the server's CSV reader has them (Training/CsvLongFormat.cs). */
const ID_WORDS = new Set(["id", "uid", "key", "series", "item", "sku", "store", "shop", "product", "dept", "department", "category",
  "family", "region", "country", "site", "sensor", "station", "code", "name"]);
const ID_SUFFIXES = new Set(["id", "key", "code", "sku"]);

/** Headers that name a time, as the server's CSV reader has them (Training/CsvSeriesReader.cs). */
const TIME_WORDS = new Set(["date", "time", "timestamp", "datetime", "ds", "week", "year", "month", "day", "hour", "minute", "quarter", "period",
  "ts", "dt", "epoch",
  "datum", "zeit", "zeitpunkt", "zeitstempel", "jahr", "monat", "woche", "stunde", "quartal",
  "année", "annee", "horodatage", "mois", "semaine", "jour", "heure", "trimestre",
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
