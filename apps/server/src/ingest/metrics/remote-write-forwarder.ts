import { compressSync } from 'snappy';
import { AppError, type Logger } from '@vigil/core';
import { encodeRemoteWrite1, type MetricMetadata, type MetricSeries } from '@vigil/protocols';

export interface ForwarderOptions {
  url: string;
  basicAuth?: { username: string; password: string };
  headers?: Record<string, string>;
  timeoutMs?: number;
  logger: Logger;
}

/**
 * External backend mode: validated series are sent on to the backend's remote-write endpoint
 * (Prometheus with --web.enable-remote-write-receiver, VictoriaMetrics, Mimir, …) as remote write
 * 1.0, which every one of them accepts. The backend's answer decides ours:
 *
 * - 2xx: accepted.
 * - 400 (e.g. Prometheus's "out of order sample"): logged and swallowed, as Coroot does; the
 *   data would be refused again on every retry, and an agent that retries forever blocks its
 *   queue. The caller reports success.
 * - 429 and 5xx, or no answer: a retryable error (429 / 503), so the sender keeps the data.
 */
export class RemoteWriteForwarder {
  private readonly headers: Record<string, string>;

  constructor(private readonly options: ForwarderOptions) {
    this.headers = {
      ...options.headers,
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': 'vigil',
    };
    if (options.basicAuth) {
      const token = Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString(
        'base64',
      );
      this.headers.authorization = `Basic ${token}`;
    }
  }

  /** Sends the series; resolves with how many samples the backend refused with a 400 (0 or all). */
  async forward(series: readonly MetricSeries[], metadata: readonly MetricMetadata[]): Promise<number> {
    const body = compressSync(encodeRemoteWrite1({ series: [...series], metadata: [...metadata] }));
    let res: Response;
    try {
      res = await fetch(this.options.url, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      throw new AppError(
        'unavailable',
        `the metrics backend at ${this.options.url} is unreachable; retry later`,
        {
          cause: e,
          expose: true,
        },
      );
    }
    const text = await res.text();
    if (res.ok) return 0;
    if (res.status === 429) {
      throw new AppError('overloaded', 'the metrics backend is overloaded; retry later', {
        retryAfterSeconds: 1,
      });
    }
    if (res.status >= 500) {
      throw new AppError('unavailable', `the metrics backend answered ${res.status}; retry later`, {
        expose: true,
      });
    }
    let samples = 0;
    for (const s of series) samples += s.timestampsMs.length;
    this.options.logger.warn(
      { status: res.status, body: text.slice(0, 300), samples },
      'the metrics backend refused a remote-write batch; dropped (not retried)',
    );
    return samples;
  }
}
