/**
 * The logs search lives in the URL (`?service=cart&severity=error,warn&attr.k8s.pod=x&search=timeout`)
 * so a search is a link. These pure helpers convert between the URL, the form and API parameters.
 */

/** Severity levels offered by the filter, in the OTel log data model's order. */
export const SEVERITY_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** The log filters as the form edits them; empty means "any". */
export interface LogFilters {
  readonly service?: string;
  /** Any of these severities (each matched by the server as text or number range). */
  readonly severities: readonly string[];
  /** Attribute equality filters, sent as `attr.<key>=<value>` like the server expects. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Full-text tokens; every token must appear in the body. */
  readonly search?: string;
}

const ATTR = 'attr.';
/** Parameters this module owns; everything else (time range, project, view) is kept. */
const OWN_KEYS = ['service', 'severity', 'search'] as const;

/** Reads the filters from the URL, ignoring empty values rather than failing the page. */
export function readLogFilters(params: URLSearchParams): LogFilters {
  const attributes: Record<string, string> = {};
  for (const [key, value] of params)
    if (key.startsWith(ATTR) && key.length > ATTR.length) attributes[key.slice(ATTR.length)] = value;
  const severities = (params.get('severity') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  return {
    service: params.get('service') || undefined,
    severities: [...new Set(severities)],
    attributes,
    search: params.get('search')?.trim() || undefined,
  };
}

/** A copy of `params` with the filters replaced; other params (time range, project) are kept. */
export function writeLogFilters(params: URLSearchParams, filters: LogFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of OWN_KEYS) next.delete(key);
  for (const key of [...next.keys()]) if (key.startsWith(ATTR)) next.delete(key);
  if (filters.service) next.set('service', filters.service);
  if (filters.severities.length > 0) next.set('severity', filters.severities.join(','));
  for (const [key, value] of Object.entries(filters.attributes)) next.set(ATTR + key, value);
  if (filters.search?.trim()) next.set('search', filters.search.trim());
  return next;
}

/**
 * `key=value` pairs separated by commas or new lines → attributes; a pair without `=` or with an
 * empty key is returned in `invalid` so the form can say which one it could not read.
 */
export function parseAttributeText(text: string): { attributes: Record<string, string>; invalid: string[] } {
  const attributes: Record<string, string> = {};
  const invalid: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) invalid.push(pair);
    else attributes[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { attributes, invalid };
}

/** The inverse of parseAttributeText, for filling the form from the URL. */
export function formatAttributeText(attributes: Readonly<Record<string, string>>): string {
  return Object.entries(attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** API parameters shared by `/api/v1/logs`, `/histogram` and `/patterns` (severity left out). */
export function logApiParams(
  filters: LogFilters,
  fromMs: number,
  toMs: number,
): Record<string, string | number | undefined> {
  const params: Record<string, string | number | undefined> = {
    from: fromMs,
    to: toMs,
    service: filters.service,
    search: filters.search,
  };
  for (const [key, value] of Object.entries(filters.attributes)) params[ATTR + key] = value;
  return params;
}

/** Most tokens a pattern filter sends: the server ANDs them, a dozen words pin a pattern down. */
const MAX_PATTERN_TOKENS = 12;

/**
 * The full-text search that finds a pattern's messages: its literal words (wildcards left out),
 * cut into the tokens the server matches (ASCII letters and digits, any non-ASCII).
 * `"Invalid user <*> from <*>"` → `"invalid user from"`.
 */
export function patternSearch(pattern: string): string {
  const tokens = pattern
    .split(/\s+/)
    .filter((word) => !word.includes('<*>'))
    .flatMap((word) => word.replace(/[A-Z]+/g, (m) => m.toLowerCase()).split(/[^a-z0-9\u0080-\uffff]+/))
    .filter((t) => t !== '');
  return [...new Set(tokens)].slice(0, MAX_PATTERN_TOKENS).join(' ');
}
