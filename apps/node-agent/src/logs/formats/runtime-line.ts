/**
 * One line of a container runtime's log file, decoded: the text the container wrote, the
 * stream, the runtime's timestamp, and whether the runtime split a longer line here (Docker and
 * CRI cut lines at 16 KiB; the pieces are joined by {@link PartialLineJoiner}).
 */
export interface RuntimeLine {
  readonly text: string;
  readonly stream: 'stdout' | 'stderr';
  readonly timestampMs: number;
  /** More of the same line follows in the next entry of the same stream. */
  readonly partial: boolean;
}

/** Bytes of text kept for one joined line (longer lines are cut). */
export const DEFAULT_MAX_JOINED_CHARS = 64 * 1024;

/**
 * Joins partial entries per stream into whole lines. Returns the whole line when `line`
 * completes one, else undefined.
 */
export class PartialLineJoiner {
  private readonly pending = new Map<string, { text: string; timestampMs: number }>();

  constructor(private readonly maxChars = DEFAULT_MAX_JOINED_CHARS) {}

  push(line: RuntimeLine): { text: string; timestampMs: number; stream: string } | undefined {
    const before = this.pending.get(line.stream);
    const text = before === undefined ? line.text : (before.text + line.text).slice(0, this.maxChars);
    const timestampMs = before?.timestampMs ?? line.timestampMs;
    if (line.partial) {
      this.pending.set(line.stream, { text, timestampMs });
      return undefined;
    }
    this.pending.delete(line.stream);
    return { text, timestampMs, stream: line.stream };
  }
}
