/**
 * OTLP metric name and unit → Prometheus metric family name, following the OpenTelemetry
 * "Prometheus and OpenMetrics compatibility" spec as Prometheus's OTLP receiver implements it
 * (github.com/prometheus/otlptranslator v1.0: `MetricNamer`, `UnitNamer`), so that a metric
 * sent to Vigil gets the name it would get in Prometheus:
 *
 * | OTLP name / unit / kind                       | Prometheus name                       |
 * |-----------------------------------------------|---------------------------------------|
 * | `http.server.request.duration` / `s` / hist.  | `http_server_request_duration_seconds`|
 * | `system.io` / `By` / monotonic sum            | `system_io_bytes_total`               |
 * | `system.cpu.utilization` / `1` / gauge        | `system_cpu_utilization_ratio`        |
 * | `system.network.dropped` / `{packets}` / gauge| `system_network_dropped`              |
 * | `mongodbatlas.process.network.io` / `By/s`    | `…_io_bytes_per_second`               |
 *
 * Where the receiver's behaviour differs from the spec's wording it is followed, because users
 * compare names with Prometheus: a unit word anywhere in the name (not only at the end) prevents
 * the unit suffix, `total`/`ratio` words elsewhere in the name move to the end, and a
 * `per_<unit>` suffix is added even when the name already ends with it.
 */

/** How the name builder sees an OTLP metric (otlptranslator `MetricType`). */
export type NamingKind =
  'gauge' | 'monotonicCounter' | 'nonMonotonicCounter' | 'histogram' | 'exponentialHistogram' | 'summary';

/** A family name, or why none can be built (the metric is then rejected). */
export type MetricNameResult = { readonly name: string } | { readonly error: string };

/** UCUM units (OTLP) → Prometheus unit words. Unknown units are kept as written. */
const UNIT_WORDS = new Map<string, string>([
  ['d', 'days'],
  ['h', 'hours'],
  ['min', 'minutes'],
  ['s', 'seconds'],
  ['ms', 'milliseconds'],
  ['us', 'microseconds'],
  ['ns', 'nanoseconds'],
  ['By', 'bytes'],
  ['KiBy', 'kibibytes'],
  ['MiBy', 'mebibytes'],
  ['GiBy', 'gibibytes'],
  // Sic: the receiver writes "tibibytes" (the spec's table says tebibytes).
  ['TiBy', 'tibibytes'],
  ['KBy', 'kilobytes'],
  ['MBy', 'megabytes'],
  ['GBy', 'gigabytes'],
  ['TBy', 'terabytes'],
  ['m', 'meters'],
  ['V', 'volts'],
  ['A', 'amperes'],
  ['J', 'joules'],
  ['W', 'watts'],
  ['g', 'grams'],
  ['Cel', 'celsius'],
  ['Hz', 'hertz'],
  ['1', ''],
  ['%', 'percent'],
]);

/** The denominator of a rate unit (`By/s` → per second), in the singular. */
const PER_UNIT_WORDS = new Map<string, string>([
  ['s', 'second'],
  ['m', 'minute'],
  ['h', 'hour'],
  ['d', 'day'],
  ['w', 'week'],
  ['mo', 'month'],
  ['y', 'year'],
]);

/** `[a-zA-Z0-9:]`: characters a metric name keeps; everything else becomes `_`. */
function isMetricNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x3a;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Splits `text` at runs of characters that fail `keep` (Go `strings.FieldsFunc`): empty pieces
 * are dropped, so separators at either end disappear and runs collapse.
 */
function fields(text: string, keep: (c: number) => boolean): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (keep(text.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(text.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Invalid characters → `_`, runs of `_` → one, then one leading `_` dropped. */
function cleanUpUnit(unit: string): string {
  let out = '';
  let underscore = false;
  for (let i = 0; i < unit.length; i++) {
    const c = unit.charCodeAt(i);
    if (c !== 0x5f && isMetricNameChar(c)) {
      out += unit[i];
      underscore = false;
    } else if (!underscore) {
      out += '_';
      underscore = true;
    }
  }
  return out.startsWith('_') ? out.slice(1) : out;
}

/**
 * The main and `per_` parts of a unit: `By/s` → [`bytes`, `per_second`]. Parts containing a
 * `{annotation}` are dropped, as is a blank part.
 */
function unitParts(unit: string): [main: string, per: string] {
  const slash = unit.indexOf('/');
  const mainText = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  let main = '';
  if (mainText !== '' && !/[{}]/.test(mainText)) main = UNIT_WORDS.get(mainText) ?? mainText;
  let per = '';
  if (slash >= 0) {
    const perText = unit.slice(slash + 1).trim();
    if (perText !== '' && !/[{}]/.test(perText)) per = `per_${PER_UNIT_WORDS.get(perText) ?? perText}`;
  }
  return [main, per];
}

/**
 * The UNIT metadata for a UCUM unit (otlptranslator `UnitNamer` with escaping): `By/s` →
 * `bytes_per_second`, `1` and `{packets}` → ''.
 */
export function prometheusUnit(unit: string): string {
  const [rawMain, rawPer] = unitParts(unit);
  const main = cleanUpUnit(rawMain);
  const per = cleanUpUnit(rawPer);
  let out = main !== '' && per !== '' ? `${main}_${per}` : main !== '' ? main : per;
  if (out.startsWith('_')) out = out.slice(1);
  if (out.endsWith('_')) out = out.slice(0, -1);
  return out;
}

/** Removes every `word` token and appends one at the end. */
function moveToEnd(tokens: string[], word: string): string[] {
  const out = tokens.filter((t) => t !== word);
  out.push(word);
  return out;
}

function withSuffixes(name: string, unit: string, kind: NamingKind): string {
  // Splitting also at `_` is what collapses runs of underscores.
  let tokens = fields(name, isMetricNameChar);
  const [rawMain, rawPer] = unitParts(unit);
  let main = cleanUpUnit(rawMain);
  let per = cleanUpUnit(rawPer);
  if (tokens.includes(main)) main = '';
  if (per === 'per_') per = '';
  else {
    if (per.endsWith('_')) per = per.slice(0, -1);
    if (tokens.includes(per)) per = '';
  }
  if (per !== '' && main.endsWith('_')) main = main.slice(0, -1);
  if (main !== '') tokens.push(main);
  if (per !== '') tokens.push(per);
  if (kind === 'monotonicCounter') tokens = moveToEnd(tokens, 'total');
  // Only gauges: some receivers put unit "1" on counters of objects (per the receiver's comment).
  if (unit === '1' && kind === 'gauge') tokens = moveToEnd(tokens, 'ratio');
  const joined = tokens.join('_');
  return joined !== '' && isDigit(joined.charCodeAt(0)) ? `_${joined}` : joined;
}

function withoutSuffixes(name: string): string {
  // Existing underscores are kept (runs too); other invalid characters become one `_` per run.
  const joined = fields(name, (c) => c === 0x5f || isMetricNameChar(c)).join('_');
  return joined !== '' && isDigit(joined.charCodeAt(0)) ? `_${joined}` : joined;
}

/**
 * The Prometheus metric family name for an OTLP metric. `addSuffixes` selects Prometheus's
 * `UnderscoreEscapingWithSuffixes` (unit words, `_total`, `_ratio`) or
 * `UnderscoreEscapingWithoutSuffixes` (escaping only).
 */
export function prometheusMetricName(
  name: string,
  unit: string,
  kind: NamingKind,
  addSuffixes: boolean,
): MetricNameResult {
  const normalized = addSuffixes ? withSuffixes(name, unit, kind) : withoutSuffixes(name);
  if (normalized === '') return { error: `metric name ${JSON.stringify(name)} normalizes to an empty name` };
  if (normalized !== name && /^_+$/.test(normalized)) {
    return {
      error: `metric name ${JSON.stringify(name)} normalizes to ${JSON.stringify(normalized)}, which has only underscores`,
    };
  }
  return { name: normalized };
}
