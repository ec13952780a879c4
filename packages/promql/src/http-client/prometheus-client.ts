/**
 * A client for the HTTP API of a Prometheus-compatible TSDB (Prometheus, VictoriaMetrics, Thanos,
 * Mimir): the queries and metadata lookups Vigil runs against an external backend, with results
 * parsed into the engine's own {@link QueryResult} so callers cannot tell where a result came
 * from. Errors keep the backend's `errorType` (as a {@link PromQLError}), so Vigil's own API can
 * answer with the same status and message.
 */
import { AppError } from '@vigil/core';
import type { Label, LabelMatcher } from '@vigil/protocols';
import { PromQLError, type PromQLErrorType } from '../errors.ts';
import type { QueryResult } from '../model/result.ts';
import { parseQueryData, type RawQueryData } from './parse-result.ts';

export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9090` (a path prefix such as `/prometheus` is kept). */
  url: string;
  basicAuth?: { username: string; password: string };
  /** Extra headers on every request (tenant ids, API tokens). */
  headers?: Record<string, string>;
  /** Per-request timeout when the caller gives no signal. */
  timeoutMs?: number;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

const ERROR_TYPES = new Set<PromQLErrorType>(['bad_data', 'execution', 'timeout', 'canceled', 'internal']);

/** `{a="b", c=~"d"}` for the `match[]` parameter. */
export function selectorText(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(',')}}`;
}

export class PrometheusClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: PrometheusClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.headers = { ...options.headers };
    if (options.basicAuth) {
      const token = Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString(
        'base64',
      );
      this.headers.authorization = `Basic ${token}`;
    }
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  async instantQuery(query: string, timeMs: number, signal?: AbortSignal): Promise<QueryResult> {
    const data = await this.call<RawQueryData>('/api/v1/query', { query, time: seconds(timeMs) }, signal);
    return parseQueryData(data);
  }

  async rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<QueryResult> {
    const params = { query, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) };
    return parseQueryData(await this.call<RawQueryData>('/api/v1/query_range', params, signal));
  }

  async series(
    matchSets: readonly (readonly LabelMatcher[])[],
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<Label[][]> {
    const data = await this.call<Record<string, string>[]>(
      '/api/v1/series',
      this.rangeParams(matchSets, startMs, endMs),
      signal,
    );
    return data.map((metric) =>
      Object.entries(metric)
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
  }

  labelNames(
    matchSets: readonly (readonly LabelMatcher[])[],
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<string[]> {
    return this.call<string[]>('/api/v1/labels', this.rangeParams(matchSets, startMs, endMs), signal);
  }

  labelValues(
    name: string,
    matchSets: readonly (readonly LabelMatcher[])[],
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const path = `/api/v1/label/${encodeURIComponent(name)}/values`;
    return this.call<string[]>(path, this.rangeParams(matchSets, startMs, endMs), signal, 'GET');
  }

  metadata(
    metric: string | undefined,
    signal?: AbortSignal,
  ): Promise<Record<string, { type: string; help: string; unit: string }[]>> {
    return this.call('/api/v1/metadata', metric ? { metric } : {}, signal, 'GET');
  }

  /** True when the backend answers `/api/v1/status/buildinfo` (VictoriaMetrics does too). */
  async ping(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call('/api/v1/status/buildinfo', {}, signal, 'GET');
      return true;
    } catch {
      return false;
    }
  }

  private rangeParams(
    matchSets: readonly (readonly LabelMatcher[])[],
    startMs: number,
    endMs: number,
  ): URLSearchParams {
    const p = new URLSearchParams();
    for (const m of matchSets) p.append('match[]', selectorText(m));
    // Prometheus treats absent start/end as "all time"; finite bounds only.
    if (Number.isFinite(startMs) && startMs > -1e15) p.set('start', seconds(startMs));
    if (Number.isFinite(endMs) && endMs < 1e15) p.set('end', seconds(endMs));
    return p;
  }

  private async call<T>(
    path: string,
    params: Record<string, string> | URLSearchParams,
    signal: AbortSignal | undefined,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<T> {
    const body = params instanceof URLSearchParams ? params : new URLSearchParams(params);
    const url = method === 'GET' ? `${this.base}${path}?${body.toString()}` : `${this.base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers:
          method === 'POST'
            ? { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' }
            : this.headers,
        ...(method === 'POST' ? { body: body.toString() } : {}),
        signal: signal ?? AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      if ((e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError') {
        throw new PromQLError('timeout', `query timed out against the Prometheus backend at ${this.base}`, {
          cause: e,
        });
      }
      throw new AppError(
        'unavailable',
        `the Prometheus backend at ${this.base} is unreachable: ${(e as Error).message}`,
        {
          cause: e,
          expose: true,
        },
      );
    }
    const text = await res.text();
    let parsed: ApiResponse<T>;
    try {
      parsed = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new AppError(
        'unavailable',
        `the Prometheus backend answered ${res.status} without JSON: ${text.slice(0, 200)}`,
        {
          expose: true,
        },
      );
    }
    if (parsed.status === 'success' && parsed.data !== undefined) return parsed.data;
    // VictoriaMetrics puts the HTTP status in errorType ("422") and answers bad queries with 422.
    const type: PromQLErrorType = ERROR_TYPES.has(parsed.errorType as PromQLErrorType)
      ? (parsed.errorType as PromQLErrorType)
      : res.status === 400 || res.status === 422
        ? 'bad_data'
        : 'internal';
    const message = parsed.error ?? `backend answered ${res.status}`;
    if (type === 'internal')
      throw new AppError('unavailable', `Prometheus backend error: ${message}`, { expose: true });
    throw new PromQLError(type, message);
  }
}

const seconds = (ms: number): string => String(ms / 1000);
