/**
 * The PromQL benchmark's queries and how an answer is compared between Vigil and Prometheus.
 * Each query runs as a range query over the last hour (step 60 s, 61 points) and over the whole
 * day (step 300 s, 288 points), the same parameters for both systems.
 */

export interface PromqlCase {
  name: string;
  query: string;
  range: '1h' | '24h';
  startS: number;
  endS: number;
  stepS: number;
}

/** What each query reads, for the report (at the default 100 targets). */
export const QUERIES: Array<{ name: string; query: string; reads: string }> = [
  {
    name: 'rate, one job',
    query: 'rate(http_requests_total{job="svc-1"}[5m])',
    reads: '400 counters → 400 series',
  },
  {
    name: 'sum by (job, status) of rate',
    query: 'sum by (job, status) (rate(http_requests_total[5m]))',
    reads: '2,000 counters → 20',
  },
  {
    name: 'histogram_quantile(0.95) by job',
    query: 'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))',
    reads: '5,500 buckets → 5',
  },
  {
    name: 'topk(5) instances by busy CPU',
    query: 'topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))',
    reads: '600 counters → 5 per step',
  },
  {
    name: 'avg by (job) of a gauge',
    query: 'avg by (job) (process_resident_memory_bytes)',
    reads: '100 gauges → 5',
  },
  {
    name: 'max by (job) of max_over_time',
    query: 'max by (job) (max_over_time(queue_depth[5m]))',
    reads: '600 gauges → 5',
  },
];

/** Every query over 1 h (step 60 s) and 24 h (step 300 s), ending at `endMs`. */
export function promqlCases(dataStartMs: number, endMs: number): PromqlCase[] {
  const end = Math.floor(endMs / 1000);
  const out: PromqlCase[] = [];
  for (const range of ['1h', '24h'] as const) {
    for (const q of QUERIES) {
      const stepS = range === '1h' ? 60 : 300;
      // 24 h: from 5 minutes after the first sample, so every [5m] window holds data.
      const startS = range === '1h' ? end - 3600 : Math.ceil(dataStartMs / 1000 / stepS) * stepS + 300;
      out.push({ name: `${q.name}, ${range}`, query: q.query, range, startS, endS: end, stepS });
    }
  }
  return out;
}

export function queryRangePath(c: PromqlCase): string {
  const p = new URLSearchParams({
    query: c.query,
    start: String(c.startS),
    end: String(c.endS),
    step: String(c.stepS),
  });
  return `/api/v1/query_range?${p.toString()}`;
}

interface MatrixSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
}
interface PromResponse {
  status: string;
  data?: { resultType: string; result: MatrixSeries[] };
  errorType?: string;
  error?: string;
}

export interface AnswerSummary {
  ok: boolean;
  /** Error text when !ok. */
  error?: string;
  series: number;
  points: number;
}

export function summarizeAnswer(status: number, text: string): AnswerSummary {
  let body: PromResponse;
  try {
    body = JSON.parse(text) as PromResponse;
  } catch {
    return { ok: false, error: `HTTP ${status}: ${text.slice(0, 300)}`, series: 0, points: 0 };
  }
  if (status !== 200 || body.status !== 'success' || !body.data)
    return {
      ok: false,
      error: `HTTP ${status} ${body.errorType ?? ''}: ${body.error ?? text.slice(0, 300)}`,
      series: 0,
      points: 0,
    };
  const result = body.data.result;
  return { ok: true, series: result.length, points: result.reduce((n, s) => n + (s.values?.length ?? 1), 0) };
}

const key = (m: Record<string, string>): string =>
  JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Whether two answers hold the same series, timestamps and values (relative 1e-9: the engines
 * may sum in different orders). Undefined when equal, else the first difference.
 */
export function compareAnswers(vigilText: string, promText: string): string | undefined {
  const a = (JSON.parse(vigilText) as PromResponse).data?.result ?? [];
  const b = (JSON.parse(promText) as PromResponse).data?.result ?? [];
  const byKey = new Map(b.map((s) => [key(s.metric), s]));
  if (a.length !== b.length) return `${a.length} series from Vigil, ${b.length} from Prometheus`;
  for (const s of a) {
    const other = byKey.get(key(s.metric));
    if (!other) return `series ${key(s.metric)} only in Vigil's answer`;
    const mine = s.values ?? [];
    const theirs = other.values ?? [];
    if (mine.length !== theirs.length)
      return `${key(s.metric)}: ${mine.length} points from Vigil, ${theirs.length} from Prometheus`;
    for (let i = 0; i < mine.length; i++) {
      const [ta, va] = mine[i]!;
      const [tb, vb] = theirs[i]!;
      const x = Number(va);
      const y = Number(vb);
      const same = x === y || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-9 * Math.abs(y);
      if (ta !== tb || !same) return `${key(s.metric)} at ${ta}: Vigil ${va} @${ta}, Prometheus ${vb} @${tb}`;
    }
  }
  return undefined;
}
