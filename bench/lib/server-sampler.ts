/**
 * Samples the server now and then during a run, to explain its peak RSS: how much of it was the
 * JS heap (decoded records waiting in the write buffer) and how full that buffer got. RSS comes
 * from /proc (free for the server); heap and queue from /metrics, every `intervalMs` only,
 * because each scrape costs the server a few milliseconds of CPU.
 */
import { processMemory } from './proc-stats.ts';
import { metricValue, type ServerProcess } from './server-process.ts';

export interface ServerSamples {
  samples: number;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  peakHeapTotalBytes: number;
  peakExternalBytes: number;
  peakQueueItems: number;
}

export function startSampler(
  server: ServerProcess,
  signal: string,
  intervalMs = 2000,
): { stop(): Promise<ServerSamples> } {
  const peaks: ServerSamples = {
    samples: 0,
    peakRssBytes: 0,
    peakHeapUsedBytes: 0,
    peakHeapTotalBytes: 0,
    peakExternalBytes: 0,
    peakQueueItems: 0,
  };
  let running = true;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    while (running) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
      if (!running) break;
      try {
        const text = await server.metrics();
        const value = (name: string, withSignal = false): number =>
          metricValue(text, name, withSignal ? signal : undefined) ?? 0;
        peaks.samples++;
        peaks.peakRssBytes = Math.max(peaks.peakRssBytes, processMemory(server.pid).rssBytes);
        peaks.peakHeapUsedBytes = Math.max(
          peaks.peakHeapUsedBytes,
          value('vigil_nodejs_heap_size_used_bytes'),
        );
        peaks.peakHeapTotalBytes = Math.max(
          peaks.peakHeapTotalBytes,
          value('vigil_nodejs_heap_size_total_bytes'),
        );
        peaks.peakExternalBytes = Math.max(
          peaks.peakExternalBytes,
          value('vigil_nodejs_external_memory_bytes'),
        );
        peaks.peakQueueItems = Math.max(peaks.peakQueueItems, value('vigil_ingest_queue_items', true));
      } catch {
        // A scrape that fails under load is skipped; the run itself reports real failures.
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      clearTimeout(timer);
      wake?.();
      await loop;
      return peaks;
    },
  };
}
