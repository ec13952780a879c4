/** Small helpers the push tests share. */
import type { Logger } from '@vigil/core';
import type { MetricFamily } from '../../exposition/metric-family.ts';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string | undefined;
  readonly fields: Record<string, unknown>;
}

/** A Logger that keeps every line (children share the list). */
export function captureLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: LogLine['level']) =>
      (obj: object, msg?: string): void => {
        lines.push({ level, msg, fields: { ...bindings, ...obj } });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { lines });
}

/** Resolves once `condition` holds; rejects with `what` if it does not within `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A node-agent-like interval: a CPU counter per mode, memory gauges and one info series. */
export function nodeFamilies(step: number): MetricFamily[] {
  return [
    {
      name: 'node_resources_cpu_usage_seconds_total',
      type: 'counter',
      help: 'CPU time spent in each mode',
      samples: [
        { labels: { mode: 'user' }, value: 100.5 + step },
        { labels: { mode: 'system' }, value: 40.25 + step / 2 },
      ],
    },
    {
      name: 'node_resources_memory_available_bytes',
      type: 'gauge',
      help: 'Memory available for new work',
      samples: [{ labels: {}, value: 8_000_000_000 - step * 1024 }],
    },
    {
      name: 'node_info',
      type: 'gauge',
      help: 'Hostname and kernel',
      samples: [{ labels: { hostname: 'web-1', kernel_version: '6.1.0-13-amd64' }, value: 1 }],
    },
  ];
}
