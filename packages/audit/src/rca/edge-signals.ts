/**
 * Candidates on the edges out of one application: for each destination application, the L7
 * error rate and p95 latency per protocol and the TCP RTT, retransmits and failed connects,
 * aggregated over every instance's connections to it (a fault on one instance's path still
 * shows in the sum, and the service map's edge is the unit a user reasons about).
 */
import {
  hasData,
  mergeL7Stats,
  requestTotals,
  seriesStats,
  maxSeries,
  sumSeries,
  type Application,
  type Connection,
  type L7Protocol,
  type L7Stats,
  type TimeGrid,
  type TimeSeries,
} from '@vigil/model';
import { errorRatePercent, latencyP95, zeroFill } from './series-math.ts';
import type { CauseCandidate, CandidateKind } from './types.ts';

/** Display names of protocols, as the UI writes them. */
const PROTOCOL_LABEL: Readonly<Record<L7Protocol, string>> = {
  http: 'HTTP',
  postgres: 'Postgres',
  mysql: 'MySQL',
  redis: 'Redis',
  memcached: 'Memcached',
  mongo: 'MongoDB',
  kafka: 'Kafka',
  rabbitmq: 'RabbitMQ',
  nats: 'NATS',
  dns: 'DNS',
};

/** Where an edge's destination sits in the traversal. */
export interface EdgeTarget {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

/**
 * How many of these calls the caller makes per request it serves (mean over the window), or
 * undefined when it serves none we saw: an api making three queries per request waits three
 * times for a slower database.
 */
function callsPerRequest(grid: TimeGrid, from: Application, stats: readonly L7Stats[]): number | undefined {
  const served = from.instances.flatMap((i) => [...i.inbound.values()]);
  if (served.length === 0) return undefined;
  const inbound = seriesStats(requestTotals(grid, mergeL7Stats(grid, served)).total).mean;
  const calls = seriesStats(requestTotals(grid, mergeL7Stats(grid, stats)).total).mean;
  return inbound > 0 && calls >= 0 ? calls / inbound : undefined;
}

/** Connections grouped by destination application, in first-seen order. */
function byDestination(connections: readonly Connection[]): Map<string, Connection[]> {
  const out = new Map<string, Connection[]>();
  for (const c of connections) {
    const list = out.get(c.toApp) ?? [];
    list.push(c);
    out.set(c.toApp, list);
  }
  return out;
}

/**
 * Edge candidates from `from` to each destination `target` returns (null: not analysed, e.g.
 * the analysed application itself reached through a cycle).
 */
export function edgeCandidates(
  grid: TimeGrid,
  from: Application,
  target: (appId: string) => EdgeTarget | null,
): CauseCandidate[] {
  const out: CauseCandidate[] = [];
  for (const [toApp, connections] of byDestination(from.upstreams)) {
    const to = target(toApp);
    if (to === null) continue;
    const add = (
      kind: CandidateKind,
      key: string,
      title: string,
      unit: string,
      series: TimeSeries,
      callsPerRequest?: number,
    ): void => {
      if (!hasData(series)) return;
      out.push({
        id: `${kind}:${from.id}->${to.id}${key}`,
        kind,
        applicationId: to.id,
        applicationName: to.name,
        fromApplicationId: from.id,
        depth: to.depth,
        title: `${title} (calls from ${from.name})`,
        unit,
        series,
        direction: 'up',
        ...(callsPerRequest === undefined ? {} : { callsPerRequest }),
      });
    };

    const protocols = [...new Set(connections.flatMap((c) => [...c.l7.keys()]))].sort();
    for (const protocol of protocols) {
      const stats = connections.map((c) => c.l7.get(protocol)).filter((s): s is L7Stats => s !== undefined);
      const label = PROTOCOL_LABEL[protocol];
      const calls = callsPerRequest(grid, from, stats);
      add('l7_error_rate', `:${protocol}`, `${label} error rate`, '%', errorRatePercent(grid, stats), calls);
      add('l7_latency', `:${protocol}`, `${label} latency p95`, 's', latencyP95(grid, stats), calls);
    }

    const tcp = connections.map((c) => c.tcp);
    add(
      'tcp_rtt',
      '',
      'TCP RTT',
      's',
      maxSeries(
        grid,
        tcp.map((t) => t.rttSeconds),
      ),
    );
    // Failure counters appear on the first failure; before it there were none, not "unknown".
    const events = (s: TimeSeries): TimeSeries => (hasData(s) ? zeroFill(s) : s);
    add(
      'tcp_retransmits',
      '',
      'TCP retransmits',
      '/s',
      events(
        sumSeries(
          grid,
          tcp.map((t) => t.retransmits),
        ),
      ),
    );
    const failed = events(
      sumSeries(
        grid,
        tcp.map((t) => t.failedConnects),
      ),
    );
    add('tcp_failed_connects', '', 'failed TCP connects', '/s', failed);
  }
  return out;
}
