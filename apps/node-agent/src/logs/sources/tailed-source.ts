/**
 * A log file followed into a pipeline: a container runtime's log (Docker json-file or CRI, one
 * entry per line with its stream and time, long lines split into partial entries and joined
 * here) or a plain file an application writes (each line stamped with the time it was read).
 */
import { parseCriLine } from '../formats/cri-line.ts';
import { parseDockerJsonLine } from '../formats/docker-json-line.ts';
import { PartialLineJoiner, type RuntimeLine } from '../formats/runtime-line.ts';
import type { LogPipeline } from '../pipeline/log-pipeline.ts';
import { FileTailer } from '../tail/file-tailer.ts';

export type LogFileFormat = 'docker-json' | 'cri' | 'plain';

const PARSERS: Record<Exclude<LogFileFormat, 'plain'>, (line: string) => RuntimeLine | undefined> = {
  'docker-json': parseDockerJsonLine,
  cri: parseCriLine,
};

export class TailedSource {
  private readonly tailer: FileTailer;
  private readonly joiner = new PartialLineJoiner();
  /** Lines of the runtime's file that were not in its format (skipped). */
  badLines = 0;
  private readonly now: () => number;

  constructor(
    readonly path: string,
    readonly format: LogFileFormat,
    readonly pipeline: LogPipeline,
    options: { readonly startAt?: 'end' | 'start'; readonly now?: () => number } = {},
  ) {
    // Runtime entries are JSON or prefixed, so their bound leaves room around a 64 KiB line.
    this.tailer = new FileTailer({
      path,
      startAt: options.startAt ?? 'end',
      maxLineBytes: format === 'plain' ? 64 * 1024 : 256 * 1024,
    });
    this.now = options.now ?? Date.now;
  }

  /** Reads what is new and feeds it to the pipeline. */
  async poll(): Promise<void> {
    const lines = await this.tailer.poll();
    if (this.format === 'plain') {
      const nowMs = this.now();
      for (const line of lines) this.pipeline.pushLine(line, nowMs);
      return;
    }
    const parse = PARSERS[this.format];
    for (const line of lines) {
      const entry = parse(line);
      if (entry === undefined) {
        this.badLines++;
        continue;
      }
      const whole = this.joiner.push(entry);
      if (whole !== undefined) this.pipeline.pushLine(whole.text, whole.timestampMs, whole.stream);
    }
  }

  stats(): ReturnType<FileTailer['stats']> & { badLines: number } {
    return { ...this.tailer.stats(), badLines: this.badLines };
  }

  async close(): Promise<void> {
    await this.tailer.close();
  }
}
