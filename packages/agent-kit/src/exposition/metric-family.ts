/**
 * Metric families as the agent collects them, and their Prometheus text exposition (format
 * 0.0.4: `# HELP`, `# TYPE`, then `name{label="value"} value` lines; label values escape `\`,
 * `"` and newlines, help text `\` and newlines). A histogram's samples are its `_bucket` (with
 * `le`), `_sum` and `_count` series, named by their `suffix`.
 */

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** For histograms: which of the family's series this sample is. */
  readonly suffix?: '_bucket' | '_sum' | '_count';
}

export interface MetricFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly samples: readonly Sample[];
}

/** The families as Prometheus text; families without samples are left out. */
export function formatExposition(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    if (family.samples.length === 0) continue;
    out += `# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`;
    out += `# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      out += `${family.name}${sample.suffix ?? ''}${labels === '' ? '' : `{${labels}}`} ${formatValue(sample.value)}\n`;
    }
  }
  return out;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
