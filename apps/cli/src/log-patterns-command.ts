/**
 * `vigil log-patterns`: clusters the lines of stdin (every level, one message per line) with the
 * node agent's PatternClusterer and writes one pattern hash per input line to stdout; with
 * `--patterns`, the table of patterns (hash, count, pattern, sample) follows after a blank line.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { PatternClusterer } from '@vigil/logs';

export interface LogPatternsFlags {
  printPatterns: boolean;
  maxPatterns: number;
}

/** Offline use has no cardinality budget; this only bounds memory on absurd input. */
const DEFAULT_OFFLINE_MAX_PATTERNS = 1_000_000;

export const LOG_PATTERNS_USAGE = `  log-patterns [--patterns] [--max-patterns N]
            read log messages on stdin (one per line), print each one's pattern hash;
            --patterns: then the patterns table (hash, count, pattern, first message)`;

/** Parses the command's flags; throws an Error naming the bad flag. */
export function parseLogPatternsFlags(argv: readonly string[]): LogPatternsFlags {
  const flags: LogPatternsFlags = { printPatterns: false, maxPatterns: DEFAULT_OFFLINE_MAX_PATTERNS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--patterns') flags.printPatterns = true;
    else if (arg === '--max-patterns') {
      const value = argv[++i];
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < 1) {
        throw new Error(
          `--max-patterns needs a positive integer, got ${value === undefined ? 'nothing' : `"${value}"`}`,
        );
      }
      flags.maxPatterns = n;
    } else throw new Error(`log-patterns: unknown flag "${arg}" (flags: --patterns, --max-patterns N)`);
  }
  return flags;
}

/** `vigil log-patterns <flags>`: returns the exit code (2 for bad flags, with the reason on stderr). */
export async function runLogPatternsCommand(
  argv: readonly string[],
  stdin: Readable,
  stdout: Writable,
  stderr: Writable,
): Promise<number> {
  let flags: LogPatternsFlags;
  try {
    flags = parseLogPatternsFlags(argv);
  } catch (e) {
    stderr.write(`vigil: ${(e as Error).message}\n`);
    return 2;
  }
  await runLogPatterns(flags, stdin, stdout);
  return 0;
}

/**
 * Streams input to output; resolves when input ends and everything is written, or early and
 * quietly when the reader goes away (`vigil log-patterns < big.log | head`: EPIPE).
 */
export async function runLogPatterns(
  flags: LogPatternsFlags,
  input: Readable,
  output: Writable,
): Promise<void> {
  const clusterer = new PatternClusterer({ maxPatterns: flags.maxPatterns });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let failure: Error | undefined;
  let closed = false;
  const onError = (e: NodeJS.ErrnoException): void => {
    closed = true;
    if (e.code !== 'EPIPE') failure = e;
    lines.close();
  };
  output.on('error', onError);
  const write = async (text: string): Promise<void> => {
    if (closed || output.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        output.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      output.on('drain', done).on('close', done).on('error', done);
    });
  };
  try {
    let chunk = '';
    for await (const line of lines) {
      if (closed) break;
      chunk += clusterer.add(line).hash + '\n';
      if (chunk.length >= 64 * 1024) {
        await write(chunk);
        chunk = '';
      }
    }
    if (flags.printPatterns) chunk += '\n' + formatPatternsTable(clusterer);
    if (chunk.length > 0) await write(chunk);
  } finally {
    output.off('error', onError);
  }
  if (failure !== undefined) throw failure;
}

function formatPatternsTable(clusterer: PatternClusterer): string {
  const rows = clusterer.patterns();
  const countWidth = Math.max(5, String(rows[0]?.count ?? 0).length); // rows come most frequent first
  let out = `${'hash'.padEnd(16)}  ${'count'.padStart(countWidth)}  pattern  |  first message\n`;
  for (const { hash, count, pattern, sample } of rows) {
    out += `${hash}  ${String(count).padStart(countWidth)}  ${pattern}  |  ${sample}\n`;
  }
  return out;
}
