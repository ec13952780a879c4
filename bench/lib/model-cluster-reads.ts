/**
 * The synthetic cluster (model-cluster.ts) rendered as the metrics cache would answer the model's
 * queries on a grid: {@link modelReads}, and a data source that hands them over without copying.
 */
import {
  MODEL_QUERIES,
  type ModelDataSource,
  type SourceRead,
  type SourceSeries,
  type TimeGrid,
} from '@vigil/model';
import {
  counterValues,
  emitCluster,
  level,
  spanRange,
  VARIANTS,
  type Cluster,
  type Labels,
  type Signal,
  type Span,
} from './model-cluster.ts';

type Route =
  | {
      readonly id: string;
      readonly how: 'selector' | 'rate' | 'raw-counter';
      readonly match?: readonly [string, string];
    }
  | { readonly id: string; readonly how: 'sum-without'; readonly drop: readonly string[] };

/** Metric name → how the model's query turns it into cached series, parsed from MODEL_QUERIES. */
function routes(): Map<string, Route> {
  const out = new Map<string, Route>();
  const matcher = (m: string | undefined): readonly [string, string] | undefined => {
    if (!m) return undefined;
    const x = /^\{(\w+)="([^"]*)"\}$/.exec(m);
    if (!x) throw new Error(`unsupported matcher ${m}`);
    return [x[1]!, x[2]!];
  };
  for (const q of MODEL_QUERIES) {
    let m: RegExpExecArray | null;
    if (q.id === 'node_cpu_usage_percent') continue; // Sink.nodeCpu
    // The synthetic cluster has no Kubernetes objects: no annotations, no desired replicas.
    if (q.id === 'kube_workload_annotations' || q.id === 'kube_desired_replicas') continue;
    if ((m = /^rate\((\w+)(\{[^}]*\})?\[\$RANGE\]\)$/.exec(q.query))) {
      const match = matcher(m[2]);
      out.set(m[1]!, { id: q.id, how: 'rate', ...(match ? { match } : {}) });
    } else if ((m = /^(\w+) % 10000000$/.exec(q.query))) out.set(m[1]!, { id: q.id, how: 'raw-counter' });
    else if ((m = /^(\w+)(\{[^}]*\})?$/.exec(q.query))) {
      const match = matcher(m[2]);
      out.set(m[1]!, { id: q.id, how: 'selector', ...(match ? { match } : {}) });
    } else if ((m = /^sum without\(([^)]*)\) \((\w+)\)$/.exec(q.query)))
      out.set(m[2]!, { id: q.id, how: 'sum-without', drop: m[1]!.split(',').map((x) => x.trim()) });
    else throw new Error(`bench/lib/model-cluster-reads.ts cannot render query ${q.id}: ${q.query}`);
  }
  return out;
}

/** Series per model query id on `grid`, as the cache would answer them. */
export function modelReads(cluster: Cluster, grid: TimeGrid): Map<string, SourceSeries[]> {
  const table = routes();
  const reads = new Map<string, SourceSeries[]>(MODEL_QUERIES.map((q) => [q.id, []]));
  const stepS = grid.stepMs / 1000;
  const timestamps = new Map<Span, number[]>();
  const timesOf = (span: Span) => {
    let ts = timestamps.get(span);
    if (!ts) {
      const [a, b] = spanRange(span, grid.points);
      ts = Array.from({ length: b - a }, (_, k) => grid.fromMs + (a + k) * grid.stepMs);
      timestamps.set(span, ts);
    }
    return ts;
  };
  const pool = new Map<string, number[]>();
  const valuesOf = (s: Signal, span: Span, asCounter: boolean) => {
    const key = `${span}|${asCounter}|${s.base}|${s.noise}|${s.variant % VARIANTS}|${s.steps}`;
    let v = pool.get(key);
    if (!v) {
      const [a, b] = spanRange(span, grid.points);
      v = asCounter
        ? counterValues(s, a, b, stepS)
        : Array.from({ length: b - a }, (_, k) => level(s, a + k));
      pool.set(key, v);
    }
    return v;
  };
  const push = (id: string, labels: Labels, values: number[], span: Span) =>
    reads.get(id)!.push({ labels, timestampsMs: timesOf(span), values });
  emitCluster(
    cluster,
    {
      series(name, labels, signal, span) {
        const r = table.get(name);
        if (!r) throw new Error(`no model query reads ${name}`);
        if (r.how === 'sum-without') {
          const kept: Labels = {};
          for (const [k, v] of Object.entries(labels)) if (!r.drop.includes(k)) kept[k] = v;
          push(r.id, kept, valuesOf(signal, span, false), span);
          return;
        }
        if (r.match && labels[r.match[0]] !== r.match[1]) return;
        if (r.how === 'selector')
          push(r.id, { __name__: name, ...labels }, valuesOf(signal, span, false), span);
        else push(r.id, labels, valuesOf(signal, span, r.how === 'raw-counter'), span);
      },
      nodeCpu(labels, busy, cores, variant) {
        push(
          'node_cpu_usage_percent',
          labels,
          valuesOf({ base: (busy / cores) * 100, noise: 0.1, variant }, 'full', false),
          'full',
        );
      },
    },
    0,
    cluster.apps.length,
    true,
  );
  return reads;
}

/** A {@link ModelDataSource} over pre-built reads: returns the arrays as they are, no copy. */
export class PrebuiltSource implements ModelDataSource {
  constructor(private readonly reads: ReadonlyMap<string, readonly SourceSeries[]>) {}

  read(queryId: string): Promise<SourceRead> {
    return Promise.resolve({ series: this.reads.get(queryId) ?? [], complete: true });
  }
}
