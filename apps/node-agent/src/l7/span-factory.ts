/**
 * eBPF span events (ebpf/l7-events.ts) → OTLP spans: a CLIENT span for a request a container
 * sent, a SERVER span for one it answered. Each is a trace of its own (the kernel sees no trace
 * context), named and described by request-summary.ts, with the peer as `net.peer.name`/`port`.
 *
 * Status: failed database answers and HTTP 5xx are errors on both sides; HTTP 4xx is an error of
 * the client span only (the server answered as designed), as OpenTelemetry's conventions say.
 * Times: the kernel's monotonic clock moved to wall time by an offset re-read every minute.
 */
import { randomFillSync } from 'node:crypto';
import { OUTGOING_SPAN_KIND, OUTGOING_SPAN_STATUS, type OutgoingSpan } from '@vigil/protocols';
import type { L7SpanEvent } from '../ebpf/l7-events.ts';
import { summarizeRequest } from './request-summary.ts';

const HTTP = 1;
const IDS_PER_REFILL = 1024;

export class SpanFactory {
  private offsetNs = 0n;
  private offsetReadAtMs = -Infinity;
  /** Random bytes for ids, refilled in blocks (one syscall per 1024 spans). */
  private readonly pool = Buffer.alloc(24 * IDS_PER_REFILL);
  private poolUsed = IDS_PER_REFILL;

  constructor(private readonly now: () => number = Date.now) {}

  make(event: L7SpanEvent): OutgoingSpan {
    const start = event.startMonotonicNs + this.monotonicToWallNs();
    const summary = summarizeRequest(event.protocol, event.request);
    const [host, port] = splitEndpoint(event.peer);
    const attributes: Record<string, string | number> = {
      ...summary.attributes,
      'net.peer.name': host,
      'net.peer.port': port,
    };
    let error = false;
    let message = '';
    if (event.protocol === HTTP) {
      if (event.httpCode !== 0) attributes['http.status_code'] = event.httpCode;
      const failedFrom = event.inbound ? 500 : 400;
      error =
        event.httpCode >= failedFrom || (event.httpCode === 0 && event.status >= (event.inbound ? 5 : 4));
      if (error) message = `HTTP ${event.httpCode || `${event.status}xx`}`;
    } else if (event.status === 2) {
      error = true;
      message = 'the server answered with an error';
    }
    const ids = this.nextIds();
    return {
      traceId: ids.subarray(0, 16),
      spanId: ids.subarray(16, 24),
      name: summary.name,
      kind: event.inbound ? OUTGOING_SPAN_KIND.server : OUTGOING_SPAN_KIND.client,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(Math.max(0, event.durationNs)),
      attributes,
      statusCode: error ? OUTGOING_SPAN_STATUS.error : OUTGOING_SPAN_STATUS.unset,
      ...(message === '' ? {} : { statusMessage: message }),
    };
  }

  /** Wall clock minus monotonic clock, in ns (re-read every minute: the wall clock may be stepped). */
  private monotonicToWallNs(): bigint {
    const nowMs = this.now();
    if (nowMs - this.offsetReadAtMs > 60_000) {
      this.offsetNs = BigInt(Math.round(nowMs * 1e6)) - process.hrtime.bigint();
      this.offsetReadAtMs = nowMs;
    }
    return this.offsetNs;
  }

  /** 24 fresh random bytes: trace id (16) and span id (8). Never all zeros. */
  private nextIds(): Buffer {
    if (this.poolUsed === IDS_PER_REFILL) {
      randomFillSync(this.pool);
      this.poolUsed = 0;
    }
    const ids = Buffer.from(this.pool.subarray(this.poolUsed * 24, ++this.poolUsed * 24));
    ids[15]! |= 1;
    ids[23]! |= 1;
    return ids;
  }
}

function splitEndpoint(peer: string): [string, number] {
  const colon = peer.lastIndexOf(':');
  const host = peer.slice(0, colon).replace(/^\[|\]$/g, '');
  return [host, Number(peer.slice(colon + 1))];
}
