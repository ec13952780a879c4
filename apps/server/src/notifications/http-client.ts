import { failed, ok, retryable, type Outcome } from '@vigil/core';
import { VIGIL_VERSION } from '../version.ts';

/** A JSON request to a receiver. */
export interface JsonRequest {
  method?: 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body: unknown;
}

/** What a receiver answered (the body cut at {@link MAX_BODY_BYTES}). */
export interface HttpAnswer {
  status: number;
  statusText: string;
  text: string;
  retryAfterMs: number | undefined;
}

/** A request that got no answer: connection refused, reset, DNS failure, timeout. */
export interface NoAnswer {
  error: Error;
}

/** Sends one request; bound to the dispatcher's timeout and shutdown signal. */
export type HttpSend = (request: JsonRequest) => Promise<HttpAnswer | NoAnswer>;

const MAX_BODY_BYTES = 16 * 1024;

/**
 * Makes the {@link HttpSend} used by integrations: Node's fetch (undici) with a per-request
 * timeout. Redirects are not followed: a receiver moved elsewhere should be reconfigured, and
 * following a 30x would let a receiver bounce the server's request (with its credentials) to
 * any other address.
 */
export function httpSender(options: { timeoutMs: number; signal: AbortSignal }): HttpSend {
  return async (request) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      // set() replaces case-insensitively, so a configured Content-Type wins over ours.
      const headers = new Headers({
        'content-type': 'application/json',
        'user-agent': `Vigil/${VIGIL_VERSION}`,
      });
      for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
      const res = await fetch(request.url, {
        method: request.method ?? 'POST',
        headers,
        body: JSON.stringify(request.body),
        redirect: 'manual',
        signal: AbortSignal.any([timeout, options.signal]),
      });
      return {
        status: res.status,
        statusText: res.statusText,
        text: await readText(res),
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
      };
    } catch (err) {
      if (options.signal.aborted) return { error: new Error('cancelled: the server is shutting down') };
      if (timeout.aborted) return { error: new Error(`no answer within ${options.timeoutMs} ms`) };
      return { error: new Error(`request failed: ${networkReason(err)}`, { cause: err }) };
    }
  };
}

/** undici reports "fetch failed" and puts the reason (ECONNREFUSED 127.0.0.1:9) in `cause`. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

async function readText(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    if (bytes >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates end in GMT; Date.parse alone would read "-1" as a year.
  if (!/ GMT$/.test(text)) return undefined;
  const dateMs = Date.parse(text);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/** The start of a receiver's answer, on one line, for error messages. */
export function excerpt(text: string, maxChars = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars)}…` : line;
}

/** Whether a result is a {@link NoAnswer}. */
export function isNoAnswer(result: HttpAnswer | NoAnswer): result is NoAnswer {
  return 'error' in result;
}

/**
 * The common classification of an answer: 2xx delivered; no answer, 408, 429 and 5xx worth
 * retrying (after Retry-After when given); anything else (bad key, bad payload, redirect) fails
 * the same way however often it is sent.
 */
export function classify(result: HttpAnswer | NoAnswer): Outcome {
  if (isNoAnswer(result)) return retryable(result.error);
  const { status } = result;
  if (status >= 200 && status < 300) return ok;
  const body = excerpt(result.text);
  const error = new Error(`HTTP ${status} ${result.statusText}`.trim() + (body === '' ? '' : `: ${body}`));
  if (status === 408 || status === 429 || status >= 500) return retryable(error, result.retryAfterMs);
  if (status >= 300 && status < 400) {
    return failed(new Error(`HTTP ${status}: the receiver redirects elsewhere; configure the final URL`));
  }
  return failed(error);
}
