/**
 * The query string of Pyroscope's `POST /ingest`:
 *
 *   name=my.app.cpu{env=staging,region=eu}  from=1700000000  until=1700000010
 *   format=folded|pprof  sampleRate=100  spyName=gospy  units=samples  aggregationType=sum
 *
 * The name is the application, a last dotted part naming the profile kind when it is one
 * Pyroscope knows (`cpu`, `alloc_objects`, …), and labels in braces. Times are Unix seconds
 * (milli-, micro- and nanoseconds are recognised by their size).
 */
import { AppError } from '@vigil/core';

export type PyroscopeFormat = 'folded' | 'pprof';

export interface PyroscopeIngestParams {
  service: string;
  /** The profile kind from the name's suffix (`cpu` when it has none). */
  kind: string;
  labels: Record<string, string>;
  format: PyroscopeFormat;
  units: string;
  startUnixNano: bigint | undefined;
  endUnixNano: bigint | undefined;
}

/** Profile kinds Pyroscope's clients put at the end of the application name. */
const KNOWN_KINDS = new Set([
  'cpu',
  'itimer',
  'wall',
  'alloc_objects',
  'alloc_space',
  'inuse_objects',
  'inuse_space',
  'goroutines',
  'mutex_count',
  'mutex_duration',
  'block_count',
  'block_duration',
  'lock_count',
  'lock_duration',
  'exceptions',
]);

type RawQuery = Record<string, string | string[] | undefined>;

function single(query: RawQuery, key: string): string | undefined {
  const v = query[key];
  if (Array.isArray(v)) throw new AppError('bad_request', `parameter "${key}" is given more than once`);
  return v === '' ? undefined : v;
}

/** `1700000000` (s), `1700000000000` (ms), … → Unix nanoseconds. */
function unixNanos(text: string | undefined, key: string): bigint | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,20}$/.test(text)) {
    throw new AppError(
      'bad_request',
      `parameter "${key}" must be a Unix time in seconds, got "${text.slice(0, 40)}"`,
    );
  }
  const n = BigInt(text);
  if (n < 100_000_000_000n) return n * 1_000_000_000n;
  if (n < 100_000_000_000_000n) return n * 1_000_000n;
  if (n < 100_000_000_000_000_000n) return n * 1_000n;
  return n;
}

/** `app.cpu{a=b,c="d"}` → application, kind and labels. */
export function parseAppName(name: string): {
  service: string;
  kind: string;
  labels: Record<string, string>;
} {
  const brace = name.indexOf('{');
  const base = (brace < 0 ? name : name.slice(0, brace)).trim();
  const labels: Record<string, string> = {};
  if (brace >= 0) {
    if (!name.endsWith('}'))
      throw new AppError('bad_request', `name "${name.slice(0, 80)}": labels must end with "}"`);
    for (const pair of name.slice(brace + 1, -1).split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      const key = eq < 0 ? '' : pair.slice(0, eq).trim();
      if (key === '')
        throw new AppError('bad_request', `name "${name.slice(0, 80)}": label "${pair}" is not key=value`);
      labels[key] = pair
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  const dot = base.lastIndexOf('.');
  const suffix = dot < 0 ? '' : base.slice(dot + 1);
  const known = KNOWN_KINDS.has(suffix);
  const service = known ? base.slice(0, dot) : base;
  if (service === '')
    throw new AppError('bad_request', `name "${name.slice(0, 80)}" has no application name`);
  return { service, kind: known ? suffix : 'cpu', labels };
}

export function parsePyroscopeParams(query: RawQuery): PyroscopeIngestParams {
  const name = single(query, 'name');
  if (name === undefined) {
    throw new AppError(
      'bad_request',
      'missing parameter "name": the application name, e.g. name=my.app.cpu{env=prod}',
    );
  }
  const { service, kind, labels } = parseAppName(name);
  const format = (single(query, 'format') ?? 'folded').toLowerCase();
  if (format !== 'folded' && format !== 'pprof') {
    throw new AppError(
      'bad_request',
      `unsupported format "${format}": Vigil accepts format=folded or format=pprof`,
    );
  }
  const sampleRate = single(query, 'sampleRate');
  if (sampleRate !== undefined && !/^\d+$/.test(sampleRate)) {
    throw new AppError(
      'bad_request',
      `parameter "sampleRate" must be a whole number of Hz, got "${sampleRate}"`,
    );
  }
  const aggregation = single(query, 'aggregationType') ?? single(query, 'aggregrationType');
  if (aggregation !== undefined && aggregation !== 'sum' && aggregation !== 'average') {
    throw new AppError(
      'bad_request',
      `parameter "aggregationType" must be sum or average, got "${aggregation}"`,
    );
  }
  const spyName = single(query, 'spyName');
  if (spyName !== undefined) labels['spy.name'] = spyName;
  const startUnixNano = unixNanos(single(query, 'from'), 'from');
  const endUnixNano = unixNanos(single(query, 'until'), 'until');
  if (startUnixNano !== undefined && endUnixNano !== undefined && endUnixNano < startUnixNano) {
    throw new AppError('bad_request', 'parameter "until" is before "from"');
  }
  return {
    service,
    kind,
    labels,
    format,
    units: single(query, 'units') ?? 'samples',
    startUnixNano,
    endUnixNano,
  };
}
