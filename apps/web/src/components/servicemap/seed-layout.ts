/**
 * A layered layout in one linear pass, drawn while ELK works in its worker: at 500 applications
 * ELK's first run takes seconds (its compiled code is cold), and the map should be readable and
 * clickable before that. Same shape as ELK's answer — callers left of callees, a box per group —
 * so nodes move only a little when ELK's positions replace these.
 *
 *   per group:  layer = longest path from a caller-less node (cycles broken greedily)
 *               order in a layer = mean row of its callers, then name
 *   groups:     packed in rows (shelves) about as wide as the whole is tall
 */
import { nodeBox } from './elk-graph.ts';
import type { Graph, Positions } from './map-types.ts';

const COLUMN_GAP_PX = 60;
const ROW_PX = 80;
const GROUP_GAP_PX = 60;
const GROUP_TITLE_PX = 36;

/** Node ids per layer, by longest path over `succ` (callee lists); see the module comment. */
export function longestPathLayers(
  ids: readonly string[],
  succ: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const inDeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of ids) for (const t of succ.get(id) ?? []) inDeg.set(t, (inDeg.get(t) ?? 0) + 1);
  const candidate = new Map<string, number>();
  const layerOf = new Map<string, number>();
  const ready = ids.filter((id) => inDeg.get(id) === 0);
  while (layerOf.size < ids.length) {
    if (ready.length === 0) {
      // Only cycles are left: start from the least-called node, as a greedy cycle breaker does.
      let best: string | undefined;
      for (const id of ids)
        if (!layerOf.has(id) && (best === undefined || inDeg.get(id)! < inDeg.get(best)!)) best = id;
      ready.push(best!);
    }
    const id = ready.pop()!;
    if (layerOf.has(id)) continue;
    const l = candidate.get(id) ?? 0;
    layerOf.set(id, l);
    for (const t of succ.get(id) ?? []) {
      if (layerOf.has(t)) continue;
      candidate.set(t, Math.max(candidate.get(t) ?? 0, l + 1));
      inDeg.set(t, inDeg.get(t)! - 1);
      if (inDeg.get(t) === 0) ready.push(t);
    }
  }
  const out: string[][] = [];
  for (const [id, l] of layerOf) (out[l] ??= []).push(id);
  return out.filter((layer) => layer !== undefined);
}

interface Block {
  readonly local: Map<string, { x: number; y: number }>;
  readonly width: number;
  readonly height: number;
  readonly titled: boolean;
}

function layoutBlock(
  ids: readonly string[],
  succ: ReadonlyMap<string, readonly string[]>,
  pred: ReadonlyMap<string, readonly string[]>,
  labelOf: ReadonlyMap<string, string>,
  titled: boolean,
): Block {
  const row = new Map<string, number>();
  const local = new Map<string, { x: number; y: number }>();
  let x = 0;
  let rows = 0;
  for (const layer of longestPathLayers(ids, succ)) {
    const mean = (id: string): number => {
      const rs = (pred.get(id) ?? []).map((p) => row.get(p)).filter((r) => r !== undefined);
      return rs.length === 0 ? Number.MAX_SAFE_INTEGER : rs.reduce((a, b) => a + b, 0) / rs.length;
    };
    const keyed = layer.map((id) => ({ id, key: mean(id), label: labelOf.get(id) ?? id }));
    keyed.sort((a, b) => a.key - b.key || a.label.localeCompare(b.label));
    let width = 0;
    keyed.forEach(({ id, label }, i) => {
      row.set(id, i);
      const box = nodeBox(label);
      width = Math.max(width, box.width);
      local.set(id, { x, y: i * ROW_PX + ROW_PX / 2 });
    });
    for (const { id } of keyed) local.get(id)!.x += width / 2;
    x += width + COLUMN_GAP_PX;
    rows = Math.max(rows, keyed.length);
  }
  return { local, width: Math.max(0, x - COLUMN_GAP_PX), height: rows * ROW_PX, titled };
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The seed layout of `graph`; see the module comment. Runs in a few milliseconds at 500 nodes. */
export function seedLayout(graph: Graph): Positions {
  const blockOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  const labelOf = new Map<string, string>();
  for (const n of graph.nodes) {
    const key = n.parent ?? '';
    blockOf.set(n.id, key);
    labelOf.set(n.id, n.label);
    const list = members.get(key) ?? [];
    list.push(n.id);
    members.set(key, list);
  }
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.source === e.target || blockOf.get(e.source) !== blockOf.get(e.target)) continue;
    append(succ, e.source, e.target);
    append(pred, e.target, e.source);
  }

  const blocks = [...members].map(([key, ids]) => layoutBlock(ids, succ, pred, labelOf, key !== ''));
  const area = blocks.reduce((s, b) => s + (b.width + GROUP_GAP_PX) * (b.height + GROUP_GAP_PX), 0);
  const shelfWidth = Math.max(Math.sqrt(area) * 1.5, ...blocks.map((b) => b.width));

  const out = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let shelfHeight = 0;
  for (const b of blocks) {
    if (x > 0 && x + b.width > shelfWidth) {
      x = 0;
      y += shelfHeight + GROUP_GAP_PX;
      shelfHeight = 0;
    }
    const top = y + (b.titled ? GROUP_TITLE_PX : 0);
    for (const [id, p] of b.local) out.set(id, { x: x + p.x, y: top + p.y });
    x += b.width + GROUP_GAP_PX;
    shelfHeight = Math.max(shelfHeight, b.height + (b.titled ? GROUP_TITLE_PX : 0));
  }
  return out;
}
