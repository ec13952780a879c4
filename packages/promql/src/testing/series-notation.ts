import { compareLabels } from '../model/labels.ts';
import type { SeriesData } from '../model/series-source.ts';
import type { QueryResult } from '../model/result.ts';
import { parse } from '../parser/parse.ts';
import { parseNumber } from '../parser/literals.ts';

/**
 * Compact series for tests, in the notation of Prometheus's test files:
 *
 *   series('http_requests{job="a"}', '0+10x3 _ stale 7', 60_000)
 *
 * gives samples every `stepMs` from time 0: `0+10x3` expands to 0 10 20 30, `_` skips a step,
 * `stale` is a staleness marker, `1x2` repeats 1 three times, and plain numbers are values.
 */
export function series(selector: string, values: string, stepMs: number, startMs = 0): SeriesData {
  const expr = parse(selector);
  if (expr.type !== 'vectorSelector') throw new Error(`not a series: ${selector}`);
  const labels = expr.matchers
    .map((m) => ({ name: m.name, value: m.value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const timestampsMs: number[] = [];
  const out: number[] = [];
  const staleIndexes: number[] = [];
  let step = 0;
  const push = (v: number | 'stale'): void => {
    if (v === 'stale') staleIndexes.push(out.length);
    timestampsMs.push(startMs + step * stepMs);
    out.push(v === 'stale' ? NaN : v);
    step++;
  };
  for (const token of values.trim().split(/\s+/)) {
    if (token === '_') {
      step++;
      continue;
    }
    if (token === 'stale') {
      push('stale');
      continue;
    }
    const m = /^([^x]+?)(?:([+-][^x]+))?x(\d+)$/.exec(token);
    if (m === null) {
      push(num(token));
      continue;
    }
    let v = num(m[1]!);
    const delta = m[2] === undefined ? 0 : num(m[2]);
    for (let i = 0; i <= Number(m[3]); i++) {
      push(v);
      v += delta;
    }
  }
  return { labels, timestampsMs, values: out, ...(staleIndexes.length > 0 ? { staleIndexes } : {}) };
}

function num(text: string): number {
  const v = parseNumber(text);
  if (v === undefined) throw new Error(`bad value ${text}`);
  return v;
}

/**
 * A result as `{labels} value` lines sorted by labels (vectors), or `{labels} t=v …` lines
 * (matrices), or the bare value (scalars, strings): easy to compare in table-driven tests.
 */
export function describeResult(r: QueryResult): string[] {
  const labelText = (labels: readonly { name: string; value: string }[]): string =>
    `{${labels.map((l) => `${l.name}="${l.value}"`).join(', ')}}`;
  switch (r.resultType) {
    case 'scalar':
    case 'string':
      return [String(r.result.value)];
    case 'vector':
      return [...r.result]
        .sort((a, b) => compareLabels(a.metric, b.metric))
        .map((s) => `${labelText(s.metric)} ${s.value}`);
    case 'matrix':
      return r.result.map(
        (s) =>
          `${labelText(s.metric)} ${s.timestampsMs.map((t, i) => `${t / 1000}=${s.values[i]}`).join(' ')}`,
      );
  }
}
