/**
 * Kubernetes Events (core/v1) as OTLP log records, `service.name=KubernetesEvents`, with the
 * attributes Coroot's cluster agent sets (`event.name`, `event.namespace`, `event.reason`,
 * `object.kind`, `object.name`, `object.namespace`, `source.component`, `source.host`) plus
 * `event.count` and `event.action` where the event has them; empty attributes are left out.
 *
 * Each occurrence goes out once: an event is sent when first seen and again only when its count,
 * series count or time moves (Kubernetes updates one Event object for repeats), so a relist after
 * a reconnect resends nothing. Events older than the agent's start minus `lookbackMs` (5 min) are
 * never sent, so a restart resends at most those few minutes, not the hour the API keeps.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { EventSink } from '../ship/event-shipper.ts';
import { SEVERITY } from '../ship/event-shipper.ts';
import type { ReflectorHandlers } from './reflector.ts';

export interface EventForwarderOptions {
  readonly sink: EventSink;
  readonly clusterName?: string | undefined;
  readonly now: () => number;
  readonly lookbackMs?: number;
}

/** Milliseconds since the epoch of an API timestamp (RFC 3339 text in JSON), or undefined. */
export function timeMs(value: Date | string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** When the event last happened: lastTimestamp, the series' last observation, eventTime, firstTimestamp. */
export function eventTimeMs(ev: CoreV1Event): number | undefined {
  return (
    timeMs(ev.lastTimestamp) ??
    timeMs(ev.series?.lastObservedTime) ??
    timeMs(ev.eventTime) ??
    timeMs(ev.firstTimestamp) ??
    timeMs(ev.metadata?.creationTimestamp)
  );
}

/** Reflector handlers that ship events to the sink. */
export class EventForwarder implements ReflectorHandlers<CoreV1Event> {
  private readonly cutoffMs: number;
  private readonly resource: Readonly<Record<string, string>>;
  /** uid → what was sent last (count|series count|time). */
  private readonly sent = new Map<string, string>();
  private readonly options: EventForwarderOptions;

  constructor(options: EventForwarderOptions) {
    this.options = options;
    this.cutoffMs = options.now() - (options.lookbackMs ?? 5 * 60_000);
    this.resource = {
      'service.name': 'KubernetesEvents',
      ...(options.clusterName ? { 'k8s.cluster.name': options.clusterName } : {}),
    };
  }

  onUpsert(ev: CoreV1Event): void {
    const uid = ev.metadata?.uid ?? `${ev.metadata?.namespace}/${ev.metadata?.name}`;
    const atMs = eventTimeMs(ev);
    if (atMs !== undefined && atMs < this.cutoffMs) return;
    const marker = `${ev.count ?? ''}|${ev.series?.count ?? ''}|${atMs ?? ''}`;
    if (this.sent.get(uid) === marker) return;
    this.sent.set(uid, marker);
    const nowMs = this.options.now();
    const count = ev.count ?? ev.series?.count;
    const attributes: Record<string, string | undefined> = {
      'event.name': ev.metadata?.name,
      'event.namespace': ev.metadata?.namespace,
      'event.reason': ev.reason,
      'event.action': ev.action,
      'event.count': count === undefined ? undefined : String(count),
      'object.kind': ev.involvedObject?.kind,
      'object.name': ev.involvedObject?.name,
      'object.namespace': ev.involvedObject?.namespace,
      // Events written through events.k8s.io/v1 carry reportingComponent instead of source.
      'source.component': ev.source?.component || ev.reportingComponent,
      'source.host': ev.source?.host,
    };
    this.options.sink.ship(this.resource, {
      timeUnixNano: BigInt(Math.round(atMs ?? nowMs)) * 1_000_000n,
      observedTimeUnixNano: BigInt(Math.round(nowMs)) * 1_000_000n,
      ...(ev.type === 'Warning' ? SEVERITY.warning : SEVERITY.info),
      body: ev.message ?? '',
      attributes: Object.fromEntries(
        Object.entries(attributes).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
      ),
    });
  }

  onDelete(ev: CoreV1Event): void {
    this.sent.delete(ev.metadata?.uid ?? `${ev.metadata?.namespace}/${ev.metadata?.name}`);
  }
}
