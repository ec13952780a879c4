/**
 * Derived fields of a LogView the list needs per row: a stable key, the time in ms, the level
 * name and colour, and a pretty-printed body when the body is JSON.
 */
import type { LogView } from '@vigil/spec';

/** Identity of a record across polls: the store has no id, so time, origin and body stand in. */
export function recordKey(r: LogView): string {
  return `${r.timestampUnixNano}|${r.serviceName}|${r.spanId}|${r.body}`;
}

/** The record's time, Unix milliseconds. */
export function recordMs(r: LogView): number {
  return Number(BigInt(r.timestampUnixNano) / 1_000_000n);
}

const ALIASES: Readonly<Record<string, string>> = {
  warning: 'warn',
  err: 'error',
  information: 'info',
  critical: 'fatal',
};
/** OTel severity number ranges per level (log data model: TRACE 1-4 … FATAL 21-24). */
const BY_NUMBER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** The level a record shows: its severity text, else its number's level, else `unknown`. */
export function severityName(r: Pick<LogView, 'severityText' | 'severityNumber'>): string {
  const text = r.severityText.trim().toLowerCase();
  if (text !== '') return ALIASES[text] ?? text;
  return BY_NUMBER[Math.floor((r.severityNumber - 1) / 4)] ?? 'unknown';
}

/** Colours per level, also used by the histogram so a bar and a badge agree. */
export const SEVERITY_COLOURS: Readonly<Record<string, string>> = {
  trace: '#adb5bd',
  debug: '#74c0fc',
  info: '#40c057',
  warn: '#fab005',
  error: '#fa5252',
  fatal: '#862e9c',
  unknown: '#868e96',
};

/**
 * The Mantine colour of a level's badge: its light variant's text shades are set in app/theme.ts
 * to pass AA contrast, which the bright hexes above (for bars) do not as text.
 */
const SEVERITY_BADGE_COLOURS: Readonly<Record<string, string>> = {
  trace: 'gray',
  debug: 'blue',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'grape',
  unknown: 'gray',
};

/** A level's badge colour (a Mantine colour name); unknown names get the neutral one. */
export function severityBadgeColour(name: string): string {
  return SEVERITY_BADGE_COLOURS[ALIASES[name] ?? name] ?? 'gray';
}

/** A level's colour; unknown names (custom severity texts) get the neutral one. */
export function severityColour(name: string): string {
  return SEVERITY_COLOURS[ALIASES[name] ?? name] ?? SEVERITY_COLOURS.unknown!;
}

/** `2024-05-01 12:00:00.123` in local time: the list is read against the user's clock. */
export function formatLogTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** The body pretty-printed when it is a JSON object or array, else undefined. */
export function prettyJsonBody(body: string): string | undefined {
  const text = body.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return undefined;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}
