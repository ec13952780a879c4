/**
 * The trace search lives in the URL (`?service=cart&status=error&attr.http.route=/cart`) so a
 * search is a link. These pure helpers convert between the URL, the form and the API query.
 */

/** The search filters as the form edits them; undefined means "any". */
export interface TraceFilters {
  readonly service?: string;
  readonly spanName?: string;
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  readonly status?: 'ok' | 'error';
  /** Attribute equality filters, sent as `attr.<key>=<value>` like the server expects. */
  readonly attributes: Readonly<Record<string, string>>;
}

const ATTR = 'attr.';
const FILTER_KEYS = ['service', 'spanName', 'minDurationMs', 'maxDurationMs', 'status'] as const;

function numberParam(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Reads the filters from the URL, ignoring malformed values rather than failing the page. */
export function readFilters(params: URLSearchParams): TraceFilters {
  const status = params.get('status');
  const attributes: Record<string, string> = {};
  for (const [key, value] of params)
    if (key.startsWith(ATTR) && key.length > ATTR.length) attributes[key.slice(5)] = value;
  return {
    service: params.get('service') || undefined,
    spanName: params.get('spanName') || undefined,
    minDurationMs: numberParam(params.get('minDurationMs')),
    maxDurationMs: numberParam(params.get('maxDurationMs')),
    status: status === 'ok' || status === 'error' ? status : undefined,
    attributes,
  };
}

/** A copy of `params` with the filters replaced; other params (time range, project) are kept. */
export function writeFilters(params: URLSearchParams, filters: TraceFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_KEYS) next.delete(key);
  for (const key of [...next.keys()]) if (key.startsWith(ATTR)) next.delete(key);
  // A new search closes the open trace.
  next.delete('trace');
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') next.set(key, String(value));
  }
  for (const [key, value] of Object.entries(filters.attributes)) next.set(ATTR + key, value);
  return next;
}

/** `GET /api/v1/traces` parameters for the filters over a time range. */
export function traceSearchParams(
  filters: TraceFilters,
  fromMs: number,
  toMs: number,
  limit: number,
): Record<string, string | number | undefined> {
  const { attributes, ...plain } = filters;
  const params: Record<string, string | number | undefined> = { ...plain, from: fromMs, to: toMs, limit };
  for (const [key, value] of Object.entries(attributes)) params[ATTR + key] = value;
  return params;
}

/** `key=value` → a one-entry record; `{}` for blank; undefined when there is no `=` or no key. */
export function parseAttributeFilter(text: string): Record<string, string> | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const eq = trimmed.indexOf('=');
  if (eq <= 0) return undefined;
  return { [trimmed.slice(0, eq).trim()]: trimmed.slice(eq + 1).trim() };
}
