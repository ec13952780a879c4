/**
 * One remote write POST and what its answer means for the segment. The status mapping lives
 * here and nowhere else:
 *
 * | answer                         | outcome        | the segment                              |
 * |--------------------------------|----------------|------------------------------------------|
 * | 2xx                            | `sent`         | deleted                                  |
 * | 401, 403                       | `unauthorized` | kept: fixing the key lets it through     |
 * | 408, 429, 5xx, other non-4xx   | `retryable`    | kept, retried after a backoff            |
 * | no answer (network, timeout)   | `retryable`    | kept, retried after a backoff            |
 * | any other 4xx (400, 413, 415…) | `rejected`     | deleted: it would be refused forever and |
 * |                                |                | would block everything queued behind it  |
 *
 * Prometheus answers 400 to out-of-order and duplicate samples, the Vigil and Coroot servers to
 * invalid data, so a 400 means this body, not the server, is the problem.
 */
import { errorMessage } from '@vigil/core';
import { parseRetryAfterMs } from './backoff.ts';

export type SendOutcome =
  | { readonly kind: 'sent'; readonly status: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly message: string }
  | { readonly kind: 'unauthorized'; readonly status: number; readonly message: string }
  | {
      readonly kind: 'retryable';
      /** Undefined when no answer came. */
      readonly status: number | undefined;
      readonly message: string;
      readonly retryAfterMs: number | undefined;
    };

export interface RemoteWriteTarget {
  /** The full write URL, e.g. `http://vigil:8080/v1/metrics`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/** How much of an error answer is kept for logs and stats. */
export const MESSAGE_CHARS = 200;
/** Read at most this much of an error body; the rest is discarded. */
const ERROR_BODY_BYTES = 4096;

/** Sends one snappy-compressed remote write 1.0 body; never throws. */
export async function sendRemoteWrite(target: RemoteWriteTarget, body: Uint8Array): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await target.fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (err) {
    return {
      kind: 'retryable',
      status: undefined,
      message: noAnswerMessage(err, target),
      retryAfterMs: undefined,
    };
  }
  if (res.status >= 200 && res.status < 300) {
    // Read the (normally empty) body to the end so the connection can be reused.
    await res.arrayBuffer().catch(() => undefined);
    return { kind: 'sent', status: res.status };
  }
  const text = await readBodyPrefix(res);
  return classifyAnswer(res.status, text, res.headers.get('retry-after'));
}

/** The outcome for an HTTP answer (see the table in the module comment). */
export function classifyAnswer(status: number, bodyText: string, retryAfter: string | null): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent', status };
  const message = `${status}: ${shorten(bodyText) || '(no message)'}`;
  if (status === 401 || status === 403) return { kind: 'unauthorized', status, message };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { kind: 'rejected', status, message };
  }
  return { kind: 'retryable', status, message, retryAfterMs: parseRetryAfterMs(retryAfter) };
}

/** Whitespace collapsed, cut to {@link MESSAGE_CHARS}. */
function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_CHARS ? `${flat.slice(0, MESSAGE_CHARS)}…` : flat;
}

async function readBodyPrefix(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
    }
  } catch {
    // A body cut off (timeout, reset) still leaves the status to go by.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in `cause`. */
function noAnswerMessage(err: unknown, target: RemoteWriteTarget): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${target.timeoutMs} ms`;
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  return detail === undefined ? errorMessage(err) : `${errorMessage(err)}: ${detail}`;
}
