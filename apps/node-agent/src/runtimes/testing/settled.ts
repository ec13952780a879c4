/** Helpers of the uprobe runtime tests: reading a counter and waiting until it stops growing. */
import type { RuntimeMetrics } from '../runtime-metrics.ts';

/** A container's value of the first family whose name starts with `prefix` (0 when absent). */
export function counterOf(m: RuntimeMetrics, prefix: string, container: string): number {
  const family = m.families((id) => ({ container_id: id })).find((f) => f.name.startsWith(prefix));
  return family?.samples.find((s) => s.labels.container_id === container)?.value ?? 0;
}

/**
 * The value once it has stopped growing for two dumps (1 s each) in a row; with `positive`, only
 * a value above 0 counts as settled.
 */
export async function settled(
  read: () => number,
  { positive = false, timeoutMs = 20_000 }: { positive?: boolean; timeoutMs?: number } = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  let stableSinceMs = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = read();
    if (now - last > 0.01) stableSinceMs = Date.now();
    last = now;
    if (Date.now() - stableSinceMs >= 2500 && (!positive || now > 0)) return now;
  }
  throw new Error(`did not settle; last ${last}`);
}
