/**
 * Parsing of the memcached text protocol's `stats` reply:
 *
 *   STAT pid 5008\r\n
 *   STAT version 1.6.18\r\n
 *   …
 *   END\r\n
 *
 * and the fields the collector reads from it.
 */

/** `STAT name value` lines → name → value (text); other lines (`END`) are skipped. */
export function parseStats(text: string): Map<string, string> {
  const stats = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trimEnd();
    if (!line.startsWith('STAT ')) continue;
    const space = line.indexOf(' ', 5);
    if (space < 0) continue;
    stats.set(line.slice(5, space), line.slice(space + 1));
  }
  return stats;
}

/** A numeric stat, or undefined when missing or not a number. */
export function statNumber(stats: ReadonlyMap<string, string>, name: string): number | undefined {
  const text = stats.get(name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
