/**
 * Parsing of the Redis `INFO` reply: `# Section` headers, then `field:value` lines (CRLF). Field
 * names are unique across sections, so the result keeps one flat map, plus the two sections whose
 * values are themselves lists of `key=value` pairs:
 *
 *   cmdstat_set:calls=4,usec=34,usec_per_call=8.50,rejected_calls=0,failed_calls=0
 *   db0:keys=4,expires=1,avg_ttl=95049
 *
 * `rejected_calls`/`failed_calls` exist since Redis 6.2; Redis 7 names subcommands `config|get`.
 */

export interface RedisCommandStats {
  /** The command as Redis names it, lower case: `set`, `config|get`. */
  readonly cmd: string;
  readonly calls: number;
  /** Total time spent in the command, microseconds. */
  readonly usec: number;
  readonly rejectedCalls?: number;
  readonly failedCalls?: number;
}

export interface RedisKeyspaceStats {
  /** `db0`, `db1`, … as INFO names it. */
  readonly db: string;
  readonly keys: number;
  readonly expires: number;
}

export interface RedisInfo {
  /** Every `field:value` line, values as text (`role` → `master`, `used_memory` → `1182448`). */
  readonly fields: ReadonlyMap<string, string>;
  readonly commands: readonly RedisCommandStats[];
  readonly keyspace: readonly RedisKeyspaceStats[];
}

const COMMAND_PREFIX = 'cmdstat_';
const KEYSPACE_DB = /^db\d+$/;

/** Parses an `INFO` reply. Lines it does not understand are skipped, never an error. */
export function parseRedisInfo(text: string): RedisInfo {
  const fields = new Map<string, string>();
  const commands: RedisCommandStats[] = [];
  const keyspace: RedisKeyspaceStats[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    fields.set(name, value);
    if (name.startsWith(COMMAND_PREFIX)) {
      const pairs = parsePairs(value);
      const calls = pairs.get('calls');
      const usec = pairs.get('usec');
      if (calls === undefined || usec === undefined) continue;
      commands.push({
        cmd: name.slice(COMMAND_PREFIX.length).toLowerCase(),
        calls,
        usec,
        rejectedCalls: pairs.get('rejected_calls'),
        failedCalls: pairs.get('failed_calls'),
      });
    } else if (KEYSPACE_DB.test(name)) {
      const pairs = parsePairs(value);
      keyspace.push({ db: name, keys: pairs.get('keys') ?? 0, expires: pairs.get('expires') ?? 0 });
    }
  }
  return { fields, commands, keyspace };
}

/** A numeric field, or undefined when it is missing or not a number. */
export function infoNumber(info: RedisInfo, field: string): number | undefined {
  const text = info.fields.get(field);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `calls=4,usec=34,usec_per_call=8.50` → numeric pairs; pairs that are not numbers are dropped. */
function parsePairs(text: string): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = Number(pair.slice(eq + 1));
    if (Number.isFinite(value)) pairs.set(pair.slice(0, eq), value);
  }
  return pairs;
}
