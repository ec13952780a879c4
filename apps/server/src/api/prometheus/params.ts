/**
 * Request parameters of the Prometheus HTTP API, read the way Prometheus reads them: from the URL
 * query and, for POST, from a form body (both merged, repeated keys such as `match[]` kept), with
 * times as RFC 3339 or Unix seconds and steps/timeouts as float seconds or PromQL durations.
 */
import { parseDuration } from '@vigil/promql';
import { PromApiError } from './prom-errors.ts';

/** Every value of every parameter, URL query first, then the form body. */
export type Params = Map<string, string[]>;

export function collectParams(url: string, formBody: URLSearchParams | undefined): Params {
  const params: Params = new Map();
  const add = (k: string, v: string) => {
    const list = params.get(k);
    if (list) list.push(v);
    else params.set(k, [v]);
  };
  const q = url.indexOf('?');
  if (q >= 0) for (const [k, v] of new URLSearchParams(url.slice(q + 1))) add(k, v);
  if (formBody) for (const [k, v] of formBody) add(k, v);
  return params;
}

export const first = (p: Params, name: string): string | undefined => {
  const v = p.get(name)?.[0];
  return v === undefined || v === '' ? undefined : v;
};

// Prometheus's "min time" and "max time" for an absent start/end (year -292273086 / 292277025
// in Go); we clamp to what Date can hold.
export const MIN_TIME_MS = -8_640_000_000_000_000;
export const MAX_TIME_MS = 8_640_000_000_000_000;

/** A time parameter: Unix seconds (fractions allowed) or RFC 3339. */
export function parseTime(text: string, name: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new PromApiError(
    'bad_data',
    `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`,
  );
}

export function timeParam(p: Params, name: string, fallbackMs: number): number {
  const text = first(p, name);
  return text === undefined ? fallbackMs : parseTime(text, name);
}

/** A duration parameter (`step`, `timeout`): float seconds or a PromQL duration such as `15s`. */
export function parseDurationParam(text: string, name: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  }
  const ms = parseDuration(text);
  if (typeof ms === 'number') return ms;
  throw new PromApiError(
    'bad_data',
    `invalid parameter "${name}": cannot parse "${text}" to a valid duration`,
  );
}

/** `start`/`end` of the metadata-style endpoints (series, labels): both optional. */
export function timeRange(p: Params): { startMs: number; endMs: number } {
  const startMs = timeParam(p, 'start', MIN_TIME_MS);
  const endMs = timeParam(p, 'end', MAX_TIME_MS);
  if (endMs < startMs) throw new PromApiError('bad_data', 'end timestamp must not be before start time');
  return { startMs, endMs };
}
