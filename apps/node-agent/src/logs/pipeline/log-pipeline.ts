/**
 * The processing of one log source of one container (its stdout/stderr, a file, its journald
 * entries): lines become messages, messages get a level and — warning and above — a pattern,
 * are counted, and become OTLP log records.
 *
 * ```
 * line ──► MultilineAssembler ──► message ──► JSON? (message, level, ids, attributes)
 *                                              level: JSON field, else guessed from the text
 *                                              warning+: PatternClusterer (per container)
 *                                        ──► LogCounters (container_log_messages_total)
 *                                        ──► onRecord (OTLP record with pattern.hash)
 * journald entry (already whole, level from PRIORITY) joins at "message".
 * ```
 */
import {
  detectLevel,
  isPatternLevel,
  MultilineAssembler,
  parseJsonLine,
  type LogLevel,
  type PatternClusterer,
} from '@vigil/logs';
import type { OutgoingLogRecord } from '@vigil/protocols';
import type { LogCounters } from './log-counters.ts';
import { severityNumberOf } from './severity.ts';

export interface PipelineTarget {
  readonly containerId: string;
  /** `stdout/stderr`, `journald`, or the file's path as the container sees it. */
  readonly source: string;
  /** Added to every record of this source (`log.file.path`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface PipelineDeps {
  readonly counters: LogCounters;
  /** The container's clusterer: its sources share one bounded set of patterns. */
  readonly clusterer: PatternClusterer;
  readonly onRecord: (containerId: string, record: OutgoingLogRecord) => void;
  /** First message seen per pattern hash, the `sample` label (shared per container). */
  readonly samples: Map<string, string>;
  readonly now?: () => number;
}

/** Most patterns whose first message is remembered for the `sample` label. */
const MAX_SAMPLES = 1024;

export class LogPipeline {
  /** One assembler per stream: stdout and stderr interleave in one runtime log file. */
  private readonly assemblers = new Map<string, MultilineAssembler>();
  private readonly now: () => number;

  constructor(
    readonly target: PipelineTarget,
    private readonly deps: PipelineDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * One line of the source (no newline), with the time the runtime stamped on it (or now), and
   * its stream (`stdout`/`stderr`; '' for a file).
   */
  pushLine(line: string, timestampMs: number, stream = ''): void {
    let assembler = this.assemblers.get(stream);
    if (assembler === undefined) this.assemblers.set(stream, (assembler = new MultilineAssembler()));
    for (const m of assembler.push(line, timestampMs)) this.message(m.text, m.timestampMs, undefined, stream);
  }

  /** A message that is already whole (a journald entry), with the level its source gave it. */
  pushMessage(text: string, timestampMs: number, level: LogLevel | undefined): void {
    this.message(text, timestampMs, level, '');
  }

  /** Completes a message whose stream has been quiet (called about once a second). */
  tick(): void {
    const nowMs = this.now();
    for (const [stream, assembler] of this.assemblers) {
      for (const m of assembler.flushOlderThan(nowMs)) this.message(m.text, m.timestampMs, undefined, stream);
    }
  }

  /** Completes whatever is pending (the source ends, or the agent stops). */
  flush(): void {
    for (const [stream, assembler] of this.assemblers) {
      for (const m of assembler.flush()) this.message(m.text, m.timestampMs, undefined, stream);
    }
  }

  private message(text: string, timestampMs: number, givenLevel: LogLevel | undefined, stream: string): void {
    const json = parseJsonLine(text);
    const body = json === undefined ? text : json.message !== '' ? json.message : text;
    const level = givenLevel ?? json?.level ?? detectLevel(body);
    let pattern: { hash: string; sample: string } | undefined;
    if (isPatternLevel(level)) {
      const match = this.deps.clusterer.add(body);
      let sample = this.deps.samples.get(match.hash);
      if (sample === undefined) {
        sample = body;
        if (this.deps.samples.size < MAX_SAMPLES) this.deps.samples.set(match.hash, body);
      }
      pattern = { hash: match.hash, sample };
    }
    this.deps.counters.add(this.target.containerId, this.target.source, level, pattern);
    const attributes: Record<string, string> = {
      ...json?.attributes,
      ...this.target.attributes,
    };
    if (stream !== '') attributes['log.iostream'] = stream;
    if (pattern !== undefined) attributes['pattern.hash'] = pattern.hash;
    const timeMs = json?.timestampMs ?? timestampMs;
    this.deps.onRecord(this.target.containerId, {
      timeUnixNano: BigInt(Math.round(timeMs)) * 1_000_000n,
      observedTimeUnixNano: BigInt(this.now()) * 1_000_000n,
      severityNumber: severityNumberOf(level),
      severityText: level,
      body,
      attributes,
      traceId: json?.traceId ?? '',
      spanId: json?.spanId ?? '',
    });
  }
}
