/**
 * Ordering candidates that move together, so a root cause ranks above its own symptoms.
 *
 * A fault shows up several times: api's CPU throttling, api's latency as frontend sees it,
 * frontend's failed requests to api. Each scores on its own; then strong candidates (score ≥
 * STRONG_SCORE) whose series move together (`comovement` ≥ LINKED_CORRELATION over the correlation
 * range) are grouped (transitively). A group ranks at its best member's score and
 * lists its members cause first:
 *
 * ```
 *  0. relays last ────────── signals of applications that only pass the fault on (focus.ts)
 *  1. earliest onset wins  ── a cause starts before its effects; onsets within `toleranceMs`
 *                             (one grid step by default) count as simultaneous, because a
 *                             fault reaches every signal within the same scrape
 *  2. then the more direct kind of cause: a rollout, then resources (CPU, memory, disk,
 *     network), then how a fault shows (latency, errors, error logs)
 *  3. then furthest upstream ── chain position = 3·depth + layer (edge 0, own 1, node 2):
 *                             postgres's disk (depth 2, node) > postgres's CPU (depth 2, own)
 *                             > api → postgres latency (depth 2, edge) > api's CPU (depth 1)
 *  4. then higher score, then id (determinism)
 * ```
 *
 * Members after the first carry `explainedBy`, the first member's id.
 */
import { comovement } from './robust-stats.ts';
import { CAUSE_CLASS } from './focus.ts';
import { LAYER_OF_KIND, type CauseCandidate, type CandidateLayer } from './types.ts';

/** Candidates scoring at least this take part in grouping; weaker ones stay alone. */
export const STRONG_SCORE = 0.4;
/** Two strong candidates whose series correlate at least this much are one group. */
export const LINKED_CORRELATION = 0.7;

const LAYER_RANK: Readonly<Record<CandidateLayer, number>> = { edge: 0, own: 1, node: 2 };

/** How far upstream a candidate sits: higher is closer to a root cause. */
export function chainPosition(c: CauseCandidate): number {
  return 3 * c.depth + LAYER_RANK[LAYER_OF_KIND[c.kind]];
}

/** What ordering needs from a scored candidate. */
export interface Orderable {
  readonly candidate: CauseCandidate;
  readonly score: number;
  readonly onsetMs: number | null;
  /** On an application that only relays the fault (focus.ts): listed after the others of its group. */
  readonly relay?: boolean;
}

export interface PropagationOptions {
  /** Correlation range between candidates, grid indices `[from, to)`. */
  readonly fromIndex: number;
  readonly toIndex: number;
  /** Onsets closer than this are simultaneous. */
  readonly toleranceMs: number;
}

/**
 * The member to list first: not a relay, then earliest onset, then the more direct kind of cause
 * (focus.ts CAUSE_CLASS), then furthest upstream, then score, then id.
 */
function pickFirst<T extends Orderable>(members: readonly T[], toleranceMs: number): T {
  const own = members.filter((m) => m.relay !== true);
  const pool = own.length > 0 ? own : members;
  const earliest = Math.min(...pool.map((m) => m.onsetMs ?? Infinity));
  let best: T | undefined;
  for (const m of pool) {
    if ((m.onsetMs ?? Infinity) > earliest + toleranceMs) continue;
    if (best === undefined || before(m, best)) best = m;
  }
  // Every member may lack an onset (earliest = ∞): then all are eligible and best is set.
  return best ?? pool[0]!;
}

function before(a: Orderable, b: Orderable): boolean {
  const ca = CAUSE_CLASS[a.candidate.kind];
  const cb = CAUSE_CLASS[b.candidate.kind];
  if (ca !== cb) return ca > cb;
  const pa = chainPosition(a.candidate);
  const pb = chainPosition(b.candidate);
  if (pa !== pb) return pa > pb;
  if (a.score !== b.score) return a.score > b.score;
  return a.candidate.id < b.candidate.id;
}

function find(parent: number[], i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/** Groups of linked strong candidates (indices into `items`), singletons for the rest. */
function groups<T extends Orderable>(items: readonly T[], options: PropagationOptions): number[][] {
  const parent = items.map((_, i) => i);
  const strong = items.flatMap((it, i) => (it.score >= STRONG_SCORE ? [i] : []));
  for (let x = 0; x < strong.length; x++) {
    for (let y = x + 1; y < strong.length; y++) {
      const a = items[strong[x]!]!.candidate;
      const b = items[strong[y]!]!.candidate;
      const sign = a.direction === b.direction ? 1 : -1;
      const r = comovement(a.series, b.series, options.fromIndex, options.toIndex, sign);
      if (r >= LINKED_CORRELATION) parent[find(parent, strong[x]!)] = find(parent, strong[y]!);
    }
  }
  const byRoot = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = find(parent, i);
    byRoot.set(root, [...(byRoot.get(root) ?? []), i]);
  });
  return [...byRoot.values()];
}

/** `items` ranked: groups by best score (ties: first member's id), members cause first. */
export function orderByPropagation<T extends Orderable>(
  items: readonly T[],
  options: PropagationOptions,
): Array<{ readonly item: T; readonly explainedBy?: string }> {
  const ordered = groups(items, options).map((indices) => {
    const remaining = indices.map((i) => items[i]!);
    const members: T[] = [];
    while (remaining.length > 0) {
      const next = pickFirst(remaining, options.toleranceMs);
      members.push(next);
      remaining.splice(remaining.indexOf(next), 1);
    }
    return { members, best: Math.max(...members.map((m) => m.score)) };
  });
  ordered.sort(
    (a, b) => b.best - a.best || (a.members[0]!.candidate.id < b.members[0]!.candidate.id ? -1 : 1),
  );
  return ordered.flatMap(({ members }) => {
    const rootId = members[0]!.candidate.id;
    return members.map((item, k) => (k === 0 ? { item } : { item, explainedBy: rootId }));
  });
}
