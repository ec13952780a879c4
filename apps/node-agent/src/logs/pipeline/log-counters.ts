/**
 * `container_log_messages_total{source, level, pattern_hash, sample}` (Coroot's meaning): messages
 * per container, source (`stdout/stderr`, `journald` or the log file's path), level, and — for
 * warning and above — the pattern the message belongs to, with the first message of that pattern
 * as `sample`. Below warning, `pattern_hash` and `sample` are empty.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';

/** Longest `sample` label value, in characters (Coroot's default label bound). */
export const MAX_SAMPLE_CHARS = 4096;

interface Count {
  readonly source: string;
  readonly level: string;
  readonly patternHash: string;
  readonly sample: string;
  messages: number;
}

export class LogCounters {
  /** containerId → key → count. */
  private readonly byContainer = new Map<string, Map<string, Count>>();

  add(containerId: string, source: string, level: string, pattern?: { hash: string; sample: string }): void {
    let counts = this.byContainer.get(containerId);
    if (counts === undefined) this.byContainer.set(containerId, (counts = new Map()));
    const hash = pattern?.hash ?? '';
    const key = `${source}\u0000${level}\u0000${hash}`;
    const count = counts.get(key);
    if (count !== undefined) {
      count.messages++;
      return;
    }
    counts.set(key, {
      source,
      level,
      patternHash: hash,
      sample: pattern === undefined ? '' : cutSample(pattern.sample),
      messages: 1,
    });
  }

  /** Forgets a container that is gone (its series end). */
  forget(containerId: string): void {
    this.byContainer.delete(containerId);
  }

  /** The messages counted for a container so far, by `level` (tests, health). */
  totals(containerId: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.byContainer.get(containerId)?.values() ?? []) {
      out[c.level] = (out[c.level] ?? 0) + c.messages;
    }
    return out;
  }

  families(labelsOf: (containerId: string) => Readonly<Record<string, string>>): MetricFamily[] {
    const samples: Sample[] = [];
    for (const [containerId, counts] of this.byContainer) {
      const labels = labelsOf(containerId);
      for (const c of counts.values()) {
        samples.push({
          labels: {
            ...labels,
            source: c.source,
            level: c.level,
            pattern_hash: c.patternHash,
            sample: c.sample,
          },
          value: c.messages,
        });
      }
    }
    if (samples.length === 0) return [];
    return [
      {
        name: 'container_log_messages_total',
        type: 'counter',
        help: 'Log messages by source, level and (warning and above) pattern',
        samples,
      },
    ];
  }
}

function cutSample(text: string): string {
  return text.length <= MAX_SAMPLE_CHARS ? text : text.slice(0, MAX_SAMPLE_CHARS);
}
