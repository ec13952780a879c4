/** Text for incidents: durations, times, burn reasons, and the list's filter (pure, tested). */
import type { BurnReason, IncidentSummary, RcaFailure, RcaResult } from '@vigil/spec';

/** `45 s`, `12 min`, `3 h 20 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** How long the incident lasted, or has lasted until `nowMs` while open. */
export function incidentDurationMs(
  i: Pick<IncidentSummary, 'openedAtMs' | 'resolvedAtMs'>,
  nowMs: number,
): number {
  return (i.resolvedAtMs ?? nowMs) - i.openedAtMs;
}

/** A time in the viewer's locale and zone, to the minute: incidents are judged once a minute. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** `1 h` / `5 min` for a rule's window. */
const windowText = (ms: number): string => formatDuration(ms);

/** `availability: burning 16.2× over 1 h (5 min: 21.4×), fires at 14.4×`. */
export function reasonText(r: BurnReason): string {
  return (
    `${r.slo}: burning ${r.longBurnRate.toFixed(1)}× over ${windowText(r.longWindowMs)} ` +
    `(${windowText(r.shortWindowMs)}: ${r.shortBurnRate.toFixed(1)}×), fires at ${r.factor}×`
  );
}

/** One line for the list: which objectives burnt, and how fast at the opening. */
export function incidentSummaryText(i: Pick<IncidentSummary, 'timeline'>): string {
  const opened = i.timeline.find((e) => e.type === 'opened') ?? i.timeline[0];
  if (!opened || opened.reasons.length === 0) return 'SLO violated';
  const worst = new Map<string, number>();
  for (const r of opened.reasons) worst.set(r.slo, Math.max(worst.get(r.slo) ?? 0, r.longBurnRate));
  const parts = [...worst].map(([slo, rate]) => `${slo} budget burning ${rate.toFixed(1)}×`);
  return `${parts.join(', ')}`;
}

/** The list's filter. */
export type IncidentFilter = 'all' | 'open' | 'resolved';

/** Incidents passing `filter`, in the server's order (newest first). */
export function filterIncidents<T extends Pick<IncidentSummary, 'resolvedAtMs'>>(
  list: readonly T[],
  filter: IncidentFilter,
): T[] {
  if (filter === 'all') return [...list];
  return list.filter((i) => (filter === 'open') === (i.resolvedAtMs === null));
}

/** Whether the stored RCA is an analysis rather than the error it failed with. */
export function isRcaResult(rca: RcaResult | RcaFailure | null): rca is RcaResult {
  return rca !== null && 'causes' in rca;
}
