/**
 * Joins the lines of one stream (a container's stdout, a file) into messages: a Java stack trace
 * with its "Caused by:" sections, a Python traceback, indented continuation lines, and — in a
 * stream whose messages begin with a timestamp — every line without one, belong to the message
 * before them.
 *
 *   2024-01-02 10:00:00 ERROR request failed        ← starts a message (timestamp)
 *   java.lang.IllegalStateException: boom           ← no timestamp: continues
 *   \tat com.acme.Handler.run(Handler.java:42)      ← indented: continues
 *   Caused by: java.io.IOException: reset           ← continues
 *   2024-01-02 10:00:01 INFO next request           ← completes the one above, starts a new one
 *
 * A message is complete only when the next one starts (push returns it then), when the stream
 * has been quiet for `quietMs` (flushOlderThan) or at the end (flush). Each message is bounded:
 * past `maxLines` lines or `maxBytes` bytes it is emitted and the rest starts a new message.
 */
import {
  PYTHON_TRACEBACK_HEADER,
  isBlank,
  isIndented,
  isJavaExceptionHeader,
  isJavaTraceLine,
  isJsonObjectLine,
  isPythonChainedHeader,
  type TracebackState,
} from './continuation.ts';
import { startsWithTimestamp } from './timestamp-prefix.ts';
import { detectLevel, isPatternLevel } from '../level/detect-level.ts';

export interface AssembledMessage {
  /** The message's lines joined by '\n' (trailing blank lines dropped). */
  text: string;
  /** The timestamp of its first line. */
  timestampMs: number;
}

export interface MultilineOptions {
  /** Lines per message before it is cut (default 500). */
  maxLines?: number;
  /** UTF-8 bytes per message before it is cut; longer single lines are truncated (default 64 KiB). */
  maxBytes?: number;
  /** How long a stream must be quiet before flushOlderThan emits its last message (default 1000 ms). */
  quietMs?: number;
}

export const DEFAULT_MULTILINE_OPTIONS: Required<MultilineOptions> = {
  maxLines: 500,
  maxBytes: 64 * 1024,
  quietMs: 1000,
};

interface PendingMessage {
  lines: string[];
  bytes: number;
  firstTimestampMs: number;
  lastTimestampMs: number;
  /** The first line began with a timestamp: lines without one continue it. */
  timestampFirst: boolean;
  /**
   * The first line is a warning or worse: an exception header after it belongs to it. Worked out
   * only when such a header arrives (undefined until then): most messages never need it.
   */
  severe: boolean | undefined;
  traceback: TracebackState;
}

export class MultilineAssembler {
  readonly #options: Required<MultilineOptions>;
  #pending: PendingMessage | undefined;

  constructor(options: MultilineOptions = {}) {
    this.#options = { ...DEFAULT_MULTILINE_OPTIONS, ...options };
    for (const [name, value] of Object.entries(this.#options)) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new RangeError(`MultilineAssembler: ${name} must be a positive number, got ${value}`);
      }
    }
  }

  /** Adds one line (without its newline); returns the messages this line completed (0, 1 or 2). */
  push(line: string, timestampMs: number): AssembledMessage[] {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const pending = this.#pending;
    if (pending === undefined) {
      if (!isBlank(line)) this.#start(line, timestampMs);
      return [];
    }
    if (!this.#continues(pending, line)) {
      const done = this.#emit();
      if (!isBlank(line)) this.#start(line, timestampMs);
      return done;
    }
    const bytes = Buffer.byteLength(line) + 1;
    if (pending.lines.length >= this.#options.maxLines || pending.bytes + bytes > this.#options.maxBytes) {
      const done = this.#emit();
      if (!isBlank(line)) this.#start(line, timestampMs);
      return done;
    }
    pending.lines.push(line);
    pending.bytes += bytes;
    pending.lastTimestampMs = timestampMs;
    return [];
  }

  /** Emits the message being assembled, if any (end of stream, shutdown). */
  flush(): AssembledMessage[] {
    return this.#emit();
  }

  /** Emits the message being assembled if its last line is at least `quietMs` older than nowMs. */
  flushOlderThan(nowMs: number): AssembledMessage[] {
    const pending = this.#pending;
    if (pending === undefined || nowMs - pending.lastTimestampMs < this.#options.quietMs) return [];
    return this.#emit();
  }

  /** Whether a message is being assembled. */
  get hasPending(): boolean {
    return this.#pending !== undefined;
  }

  #continues(pending: PendingMessage, line: string): boolean {
    if (line.length === 0 || isIndented(line)) {
      if (pending.traceback === 'exception' && !isBlank(line)) pending.traceback = 'none';
      return true;
    }
    if (pending.traceback === 'frames' && !startsWithTimestamp(line)) {
      pending.traceback = 'exception'; // the first unindented line after the frames: "ValueError: x"
      return true;
    }
    if (line === PYTHON_TRACEBACK_HEADER) {
      // A traceback after the chaining line, or after a log line (logger.exception writes the
      // message, then the traceback); not right after another traceback: that is a new error.
      const afterLogLine = pending.traceback === 'none' && (pending.timestampFirst || isSevere(pending));
      if (pending.traceback === 'chained' || afterLogLine) {
        pending.traceback = 'frames';
        return true;
      }
      return false;
    }
    if (pending.traceback === 'exception' && isPythonChainedHeader(line)) {
      pending.traceback = 'chained'; // "During handling of the above exception, …": a traceback follows
      return true;
    }
    if (isJavaTraceLine(line)) return true;
    if (pending.timestampFirst) return !startsWithTimestamp(line) && !isJsonObjectLine(line);
    return pending.lines.length === 1 && isJavaExceptionHeader(line) && isSevere(pending);
  }

  #start(line: string, timestampMs: number): void {
    let bytes = Buffer.byteLength(line);
    if (bytes > this.#options.maxBytes) {
      line = truncateToBytes(line, this.#options.maxBytes);
      bytes = Buffer.byteLength(line);
    }
    const traceback: TracebackState = line === PYTHON_TRACEBACK_HEADER ? 'frames' : 'none';
    this.#pending = {
      lines: [line],
      bytes,
      firstTimestampMs: timestampMs,
      lastTimestampMs: timestampMs,
      timestampFirst: startsWithTimestamp(line),
      severe: undefined,
      traceback,
    };
  }

  #emit(): AssembledMessage[] {
    const pending = this.#pending;
    if (pending === undefined) return [];
    this.#pending = undefined;
    const lines = pending.lines;
    let end = lines.length;
    while (end > 1 && isBlank(lines[end - 1]!)) end--;
    const text = end === 1 ? lines[0]! : lines.slice(0, end).join('\n');
    return [{ text, timestampMs: pending.firstTimestampMs }];
  }
}

function isSevere(pending: PendingMessage): boolean {
  pending.severe ??= isPatternLevel(detectLevel(pending.lines[0]!));
  return pending.severe;
}

function truncateToBytes(line: string, maxBytes: number): string {
  const cut = Buffer.from(line).subarray(0, maxBytes).toString('utf8');
  // A multi-byte character split at the cut decodes as U+FFFD; drop it.
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}
