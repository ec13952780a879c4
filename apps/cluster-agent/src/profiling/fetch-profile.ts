/**
 * One GET of a pprof endpoint under a deadline: the deadline covers the body too, so a target
 * that sends headers and then stalls is cut off like one that never answers. Errors are short
 * and stable (no timings in them), because a target's error is logged only when it changes.
 */
import { errorMessage } from '@vigil/core';

/** A Go heap profile of a big service is a few MB gzipped; more than this is not a profile. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface FetchProfileOptions {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** Aborted when the scraper stops. */
  readonly stopSignal: AbortSignal;
}

/** The body, or throws an Error whose message says what went wrong. */
export async function fetchProfile(url: string, options: FetchProfileOptions): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.stopSignal, timeout]);
  try {
    const res = await options.fetch(url, { signal, headers: { accept: 'application/octet-stream' } });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${res.status}`);
    }
    return await readBounded(res);
  } catch (err) {
    if (timeout.aborted) throw new Error(`no answer within ${options.timeoutMs} ms`, { cause: err });
    if (options.stopSignal.aborted) throw new Error('stopped', { cause: err });
    throw new Error(fetchErrorMessage(err), { cause: err });
  }
}

async function readBounded(res: Response): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > MAX_BODY_BYTES) throw new Error(`the profile is larger than ${MAX_BODY_BYTES} bytes`);
  if (res.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of res.body) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) throw new Error(`the profile is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

/** undici says only "fetch failed"; the reason (ECONNREFUSED, …) is in the cause. */
function fetchErrorMessage(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined) {
    const code = (cause as { code?: unknown }).code;
    const message = errorMessage(cause);
    if (typeof code === 'string' && !message.includes(code))
      return message === '' ? code : `${code}: ${message}`;
    return message;
  }
  return errorMessage(err);
}
