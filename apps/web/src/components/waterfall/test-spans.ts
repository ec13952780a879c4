/** Builders of realistic spans for the waterfall tests (not shipped: only tests import this). */
import type { SpanView } from '@vigil/spec';

const BASE_NS = 1_700_000_000_000_000_000n;

/** A span starting `startMs` after a fixed base time and lasting `durationMs`. */
export function span(
  spanId: string,
  parentSpanId: string,
  startMs: number,
  durationMs: number,
  extra: Partial<SpanView> = {},
): SpanView {
  return {
    spanId,
    parentSpanId,
    serviceName: 'checkout',
    name: `op-${spanId}`,
    kind: 'Internal',
    startTimeUnixNano: (BASE_NS + BigInt(Math.round(startMs * 1e6))).toString(),
    durationNs: Math.round(durationMs * 1e6),
    statusCode: 'Unset',
    statusMessage: '',
    attributes: {},
    resourceAttributes: {},
    events: [],
    ...extra,
  };
}

/** A root with `count - 1` children spread over one second. */
export function wideTrace(count: number): SpanView[] {
  const spans = [span('root', '', 0, 1000, { serviceName: 'frontend', name: 'GET /' })];
  for (let i = 1; i < count; i++) {
    spans.push(span(`s${i}`, 'root', (i % 900) + 1, 50, { serviceName: `svc-${i % 7}`, name: `work ${i}` }));
  }
  return spans;
}
