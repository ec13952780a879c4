/**
 * The Loghub 2k samples' structured CSVs (message `Content` and ground-truth `EventId` per line)
 * for the accuracy test, the CLI test and the log-parse benchmark. Loghub:
 * https://github.com/logpai/loghub (see the README and LICENSE beside the data).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const LOGHUB_DIR = process.env.VIGIL_LOGHUB_DIR ?? '/work/shared/data/loghub';

export interface LoghubStructuredSample {
  system: string;
  /** The raw lines of `<System>_2k.log`. */
  rawLines: string[];
  /** The `Content` column: each line's message without its header. */
  contents: string[];
  /** The `EventId` column: the ground-truth template of each line. */
  eventIds: string[];
  /** The `Level` column as written (INFO, notice, combo, …); '' where the system has none. */
  levels: string[];
}

/** Splits one CSV line (RFC 4180 quoting; the samples have no multi-line fields). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') field += line[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export function loghubAvailable(dir = LOGHUB_DIR): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('_2k.log_structured.csv'));
}

/** Every sample in `dir`, sorted by system name. */
export function readLoghubStructured(dir = LOGHUB_DIR): LoghubStructuredSample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('_2k.log_structured.csv'))
    .sort()
    .map((file) => {
      const system = file.replace(/_2k\.log_structured\.csv$/, '');
      const [header, ...rows] = readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      const columns = splitCsvLine(header ?? '');
      const contentAt = columns.indexOf('Content');
      const eventAt = columns.indexOf('EventId');
      const levelAt = columns.indexOf('Level');
      if (contentAt < 0 || eventAt < 0) throw new Error(`${file}: no Content or EventId column`);
      const contents: string[] = [];
      const eventIds: string[] = [];
      const levels: string[] = [];
      for (const row of rows) {
        const fields = splitCsvLine(row);
        contents.push(fields[contentAt] ?? '');
        eventIds.push(fields[eventAt] ?? '');
        levels.push(levelAt < 0 ? '' : (fields[levelAt] ?? '').trim());
      }
      const rawLines = readFileSync(path.join(dir, `${system}_2k.log`), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      return { system, rawLines, contents, eventIds, levels };
    });
}
