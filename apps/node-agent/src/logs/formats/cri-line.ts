/**
 * The CRI log format kubelet's runtimes (containerd, CRI-O) write under /var/log/pods:
 * `<RFC 3339 nano time> <stdout|stderr> <P|F> <text>` — `P` is a piece of a longer line, `F`
 * ends one. Fields beyond the tag (`F:x`) are tolerated, as the format allows.
 */
import { parseRfc3339Ms } from './docker-json-line.ts';
import type { RuntimeLine } from './runtime-line.ts';

/** The entry, or undefined when the line is not in the CRI format (then it is skipped). */
export function parseCriLine(line: string): RuntimeLine | undefined {
  const firstSpace = line.indexOf(' ');
  const secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
  if (secondSpace < 0) return undefined;
  const stream = line.slice(firstSpace + 1, secondSpace);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const thirdSpace = line.indexOf(' ', secondSpace + 1);
  const tagEnd = thirdSpace < 0 ? line.length : thirdSpace;
  const tag = line.slice(secondSpace + 1, tagEnd).split(':')[0];
  if (tag !== 'P' && tag !== 'F') return undefined;
  return {
    timestampMs: parseRfc3339Ms(line.slice(0, firstSpace)),
    stream,
    partial: tag === 'P',
    text: thirdSpace < 0 ? '' : line.slice(thirdSpace + 1),
  };
}
