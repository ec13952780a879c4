/**
 * The text a screen reader hears for a chart (its aria-label): the canvas says nothing, so the
 * summary carries what a sighted reader takes from it at a glance: the title and where each
 * line ends up.
 */
import { latestValue } from './chart-data.ts';
import type { ChartJson } from './chart-types.ts';
import { formatValue } from './format-unit.ts';

/** Lines named in the summary; past this, "and N more" (a node can run dozens of containers). */
export const SUMMARY_MAX_LINES = 8;

/**
 * `"CPU usage. Latest: node-1 42.5%, node-2 no data. Threshold 80%."`; "No data" when every
 * line is empty.
 */
export function chartSummary(chart: ChartJson, threshold = chart.threshold): string {
  const parts = [chart.title + '.'];
  const named = chart.lines.slice(0, SUMMARY_MAX_LINES);
  const latest = named.map((l) => ({ name: l.name, v: latestValue(l) }));
  if (latest.every((l) => l.v === null)) parts.push('No data in this range.');
  else {
    const more = chart.lines.length - named.length;
    const list = latest.map((l) => `${l.name} ${formatValue(l.v, chart.unit)}`).join(', ');
    parts.push(`Latest: ${list}${more > 0 ? `, and ${more} more` : ''}.`);
  }
  if (threshold !== undefined) parts.push(`Threshold ${formatValue(threshold, chart.unit)}.`);
  return parts.join(' ');
}
