/** Series shared by the remote write tests (not used outside tests). */
import type { Label, MetricSeries } from '../metrics/records.ts';

export const T0 = 1_700_000_000_000;

/** Labels as a sender sorts them, from `name="value"` pairs. */
export const labels = (pairs: Record<string, string>): Label[] =>
  Object.entries(pairs).map(([name, value]) => ({ name, value }));

/** A node-agent-like series with one sample per value, 15 s apart from {@link T0}. */
export function series(name: string, values: number[], extra: Record<string, string> = {}): MetricSeries {
  return {
    labels: labels({
      __name__: name,
      container_id: '/k8s/default/cart-7d9f/cart',
      job: 'node-agent',
      ...extra,
    }),
    timestampsMs: values.map((_, i) => T0 + i * 15_000),
    values,
  };
}
