/**
 * Docker's json-file log driver: one JSON object per line,
 * `{"log":"text\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"}`. A `log` without
 * its trailing newline is a piece of a longer line (Docker splits at 16 KiB).
 */
import { parseJsonObject } from './json-object.ts';
import type { RuntimeLine } from './runtime-line.ts';

/** The entry, or undefined when the line is not a json-file entry (then it is skipped). */
export function parseDockerJsonLine(line: string): RuntimeLine | undefined {
  const entry = parseJsonObject(line);
  if (entry === undefined) return undefined;
  if (typeof entry.log !== 'string') return undefined;
  const partial = !entry.log.endsWith('\n');
  let text = partial ? entry.log : entry.log.slice(0, -1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return {
    text,
    stream: entry.stream === 'stderr' ? 'stderr' : 'stdout',
    timestampMs: parseRfc3339Ms(entry.time),
    partial,
  };
}

/** RFC 3339 (nanoseconds allowed) to Unix ms; the current time when missing or unreadable. */
export function parseRfc3339Ms(value: unknown): number {
  if (typeof value !== 'string') return Date.now();
  // Date.parse takes at most milliseconds: drop the digits beyond them.
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : Date.now();
}
