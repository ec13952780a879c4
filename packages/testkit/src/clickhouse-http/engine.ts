/**
 * The real ClickHouse engine (chDB) behind the emulated HTTP interface. Every request runs on a
 * fresh chDB connection to the shared data directory, so settings, the current database and query
 * parameters of one request never leak into another — as on a server, where each HTTP query gets
 * its own context.
 */
import { Session } from 'chdb';
import { ClickHouseException } from './exceptions.ts';

/** What one statement needs besides its text. */
export interface ExecuteOptions {
  sql: string;
  database: string | undefined;
  /** Output format when the statement has no FORMAT clause; ClickHouse's default is TabSeparated. */
  defaultFormat: string | undefined;
  /** `param_*` values in ClickHouse's escaped text form, exactly as received. */
  queryParams: ReadonlyMap<string, string>;
  settings: ReadonlyArray<readonly [string, string]>;
  /** GET requests run with `readonly = 2`, as on a server. */
  readonly: boolean;
}

/** A statement's output plus the counters chDB reports for it. */
export interface ExecuteResult {
  bytes: Uint8Array;
  rowsRead: number;
  bytesRead: number;
  elapsedNs: number;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A single-quoted SQL literal holding `text` byte for byte. */
const quote = (text: string): string =>
  `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
const quoteIdentifier = (name: string): string => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

/** chDB opened on a data directory, serving statements for the HTTP layer. */
export class Engine {
  /** `version()` of the engine, e.g. `26.7.2.1`. */
  version = '';
  /** The engine's time zone, sent as X-ClickHouse-Timezone. */
  timezone = 'UTC';
  // Holds the data directory for the life of the process; request connections come and go.
  private readonly anchor: Session;
  private readonly open = new Set<Session>();

  constructor(
    private readonly dataDir: string,
    /**
     * Settings every request starts from, like a server's default profile: e.g.
     * `compatibility = '24.8'` (an older release's setting defaults) or `session_timezone`.
     */
    private readonly profile: ReadonlyArray<readonly [string, string]> = [],
  ) {
    this.anchor = new Session(dataDir);
  }

  async init(): Promise<void> {
    const row = (await this.anchor.queryAsync('SELECT version(), timezone()', { format: 'TSV' })).text();
    const [version = '', timezone = ''] = row.trim().split('\t');
    this.version = version;
    this.timezone = this.profile.find(([name]) => name === 'session_timezone')?.[1] ?? (timezone || 'UTC');
  }

  /** Runs one request's statement on its own connection. */
  async execute(options: ExecuteOptions): Promise<ExecuteResult> {
    const session = new Session(this.dataDir);
    this.open.add(session);
    try {
      const run = (statement: string) => session.queryAsync(statement, { format: 'TSV' });
      if (options.readonly) await run('SET readonly = 2');
      // The profile first, so that a request's own settings override it as on a server.
      for (const [name, value] of [...this.profile, ...options.settings]) {
        if (!NAME_RE.test(name))
          throw new ClickHouseException(115, 'UNKNOWN_SETTING', `Unknown setting '${name}'`);
        // ClickHouse receives URL settings as strings and converts them to the setting's type; a
        // string literal in SET goes through the same conversion.
        await run(`SET ${name} = ${quote(value)}`);
      }
      if (options.database !== undefined) await run(`USE ${quoteIdentifier(options.database)}`);
      // SET param_x binds the value exactly as `param_x` in a URL does: the engine parses the text
      // with the placeholder's type. chDB's queryBind would escape the already-escaped text again.
      for (const [name, value] of options.queryParams) {
        if (!NAME_RE.test(name))
          throw new ClickHouseException(36, 'BAD_ARGUMENTS', `Invalid query parameter name '${name}'`);
        await run(`SET param_${name} = ${quote(value)}`);
      }
      const result = await session.queryAsync(options.sql, {
        format: options.defaultFormat ?? 'TabSeparated',
      });
      return {
        bytes: result.bytes(),
        rowsRead: result.rowsRead,
        bytesRead: result.bytesRead,
        elapsedNs: Math.round(result.elapsed * 1e9),
      };
    } finally {
      this.open.delete(session);
      session.close();
    }
  }

  /** Closes every connection; statements still running finish first (chDB defers the close). */
  close(): void {
    for (const session of this.open) session.close();
    this.anchor.close();
  }
}
