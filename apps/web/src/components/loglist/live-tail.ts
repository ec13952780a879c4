/**
 * Merging polled records into the list: oldest first (a tail grows at the bottom), each record
 * once however often polls overlap, and at most `cap` records (the newest kept). `existing` is
 * always oldest first, which lets a merge look only at its newest end.
 */
import type { LogView } from '@vigil/spec';
import { recordKey } from './log-record.ts';

/** The default list cap: enough for a long tail, small enough for the virtualiser's bookkeeping. */
export const DEFAULT_TAIL_CAP = 10_000;

const compareTime = (a: LogView, b: LogView): number => {
  const x = BigInt(a.timestampUnixNano);
  const y = BigInt(b.timestampUnixNano);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Records oldest first (the API answers newest first). */
export function oldestFirst(records: readonly LogView[]): LogView[] {
  return [...records].sort(compareTime);
}

/**
 * `existing` (oldest first) with the records of `incoming` it does not hold yet, oldest first,
 * cut to the newest `cap`. Returns `existing` itself when nothing is new, so React skips a render.
 */
export function mergeTail(
  existing: readonly LogView[],
  incoming: readonly LogView[],
  cap = DEFAULT_TAIL_CAP,
): readonly LogView[] {
  if (incoming.length === 0) return existing.length > cap ? existing.slice(existing.length - cap) : existing;
  // Only held records at or after the oldest incoming one can be repeats: key just those, not a
  // list of 100,000 on every poll.
  let oldestIncoming = incoming[0]!;
  for (const r of incoming) if (compareTime(r, oldestIncoming) < 0) oldestIncoming = r;
  const seen = new Set<string>();
  for (let i = existing.length - 1; i >= 0 && compareTime(existing[i]!, oldestIncoming) >= 0; i--)
    seen.add(recordKey(existing[i]!));
  const fresh: LogView[] = [];
  for (const r of incoming) {
    const key = recordKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(r);
  }
  if (fresh.length === 0 && existing.length <= cap) return existing;
  const last = existing[existing.length - 1];
  // Polls ask for records newer than the newest shown, so appending is the common case.
  const appendable = last === undefined || fresh.every((r) => compareTime(r, last) >= 0);
  const merged = appendable ? [...existing, ...oldestFirst(fresh)] : oldestFirst([...existing, ...fresh]);
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}
