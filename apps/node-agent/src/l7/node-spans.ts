/**
 * What the agent starts for eBPF spans when it pushes: sampled request events (ebpf/l7-events.ts)
 * become OTLP spans (span-factory.ts) of their container, batched and sent to `/v1/traces` through
 * their own spool (`<data dir>/traces-spool`, beside the metrics spool), with the resource
 * attributes `service.name` (the container's application id), `container.id` and `host.name`.
 *
 * Sampling is decided in the kernel (`TRACES_SAMPLING`, a fraction of requests, default 1, and a
 * cap per interval), so a request not sampled costs user space nothing.
 */
import { hostname } from 'node:os';
import {
  openDiskSpool,
  BatchShipper,
  type BatchShipperStats,
  spoolBeside,
  type PushTarget,
} from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import { encodeTracesExportRequest, type OutgoingSpan } from '@vigil/protocols';
import type { L7SpanEvent } from '../ebpf/l7-events.ts';
import { SpanFactory } from './span-factory.ts';
import { readWholeNumberSetting } from '../whole-number-setting.ts';

export const DEFAULT_TRACES_PATH = '/v1/traces';
/**
 * Span events per second at most, whatever the sampling fraction (the rest are only counted):
 * each costs bpftrace's output and the agent's encoding, about 0.15% of a core per 10 a second
 * (docs/perf.md), so the default keeps a busy node's spans near 1.5% of a core.
 */
export const DEFAULT_MAX_SPANS_PER_SECOND = 100;

export interface NodeSpansOptions {
  readonly logger: Logger;
  readonly version: string;
  /** Where to send; the spool is beside the metrics spool. */
  readonly push: PushTarget;
  readonly containerOf: (pid: number, comm: string, cgroupId: string) => string;
  /** `app_id` of a container (the span's `service.name`). */
  readonly appIdOf: (containerId: string) => string;
}

export interface NodeSpans {
  onSpan(event: L7SpanEvent): void;
  stats(): BatchShipperStats;
  /** Writes the spans made so far to the spool (tests; a timer does it every second). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNodeSpans(options: NodeSpansOptions): Promise<NodeSpans> {
  const host = hostname();
  const factory = new SpanFactory();
  const spool = await openDiskSpool(spoolBeside(options.push, 'traces-spool'), {
    maxBytes: options.push.spoolMaxBytes,
    logger: options.logger,
  });
  const shipper = new BatchShipper<OutgoingSpan>({
    collectorUrl: options.push.collectorUrl,
    path: DEFAULT_TRACES_PATH,
    apiKey: options.push.apiKey,
    spool,
    logger: options.logger.child({ component: 'span-shipper' }),
    version: options.version,
    what: 'spans',
    encode: (batch) =>
      encodeTracesExportRequest(
        [...batch].map(([containerId, spans]) => ({
          resourceAttributes: {
            'service.name': options.appIdOf(containerId),
            'container.id': containerId,
            'host.name': host,
          },
          scopeName: 'vigil-node-agent-ebpf',
          scopeVersion: options.version,
          spans,
        })),
      ),
    ...(options.push.backoff === undefined ? {} : { backoff: options.push.backoff }),
  });
  const timer = setInterval(() => void shipper.flush(), 1000);
  timer.unref();
  return {
    onSpan: (event) => {
      const containerId = options.containerOf(event.pid, event.comm, event.cgroupId);
      shipper.add(containerId, factory.make(event));
    },
    stats: () => shipper.stats(),
    flush: () => shipper.flush(),
    stop: async () => {
      clearInterval(timer);
      await shipper.stop();
    },
  };
}

/** TRACES_SAMPLING: the fraction of requests that become spans, 0-1 (default 1). */
export function readTracesSampling(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new Error(`TRACES_SAMPLING must be a fraction from 0 to 1 (e.g. 0.1), not "${raw}"`);
  return n;
}

/** VIGIL_TRACES_MAX_PER_SECOND: the cap on span events a second (default 100). */
export function readMaxSpansPerSecond(raw: string | undefined): number | undefined {
  return readWholeNumberSetting('VIGIL_TRACES_MAX_PER_SECOND', raw, 1, 100_000);
}
