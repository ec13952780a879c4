import { ProtoWriter } from '@vigil/testkit';

/**
 * An OTLP/protobuf export request for the decoder tests: one resource (service.name `checkout`)
 * with one scope (`scope`, `version`) holding an item per writer in `items`. Traces and logs
 * share this shape: ResourceSpans/ResourceLogs {1: Resource, 2: ScopeSpans/ScopeLogs {1: scope,
 * 2: span/log record*}}.
 */
export function oneScopeRequest(items: readonly ((w: ProtoWriter) => void)[], version = ''): Buffer {
  const w = new ProtoWriter();
  w.fork(1);
  w.fork(1); // Resource
  w.fork(1);
  w.string(1, 'service.name');
  w.fork(2);
  w.string(1, 'checkout');
  w.join();
  w.join();
  w.join();
  w.fork(2); // ScopeSpans / ScopeLogs
  w.fork(1);
  w.string(1, 'scope');
  w.string(2, version);
  w.join();
  for (const item of items) {
    w.fork(2);
    item(w);
    w.join();
  }
  w.join();
  w.join();
  return w.finish();
}
