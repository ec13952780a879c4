import { AppError } from '@vigil/core';
import type { ConfigDb, OpenConfigDbOptions } from './config-db.ts';
import { openPostgresConfigDb } from './postgres-config-db.ts';
import { openSqliteConfigDb } from './sqlite-config-db.ts';

/**
 * Opens the config DB the configuration asks for: Postgres when `pgUrl` is set (several
 * replicas share it), otherwise SQLite in the data directory. Migrations run before this
 * resolves, so the returned database is ready to use.
 */
export function openConfigDb(options: OpenConfigDbOptions): Promise<ConfigDb> {
  const { dataDir, pgUrl, pgSchema, logger, now } = options;
  const common = { ...(logger === undefined ? {} : { logger }), ...(now === undefined ? {} : { now }) };
  if (pgUrl !== undefined && pgUrl !== '') {
    return openPostgresConfigDb({
      url: pgUrl,
      ...(pgSchema === undefined ? {} : { schema: pgSchema }),
      ...common,
    });
  }
  if (pgSchema !== undefined) {
    // Silently ignoring it would leave an operator wondering where their tables went.
    return Promise.reject(new AppError('bad_request', 'a Postgres schema was given without a Postgres URL'));
  }
  return openSqliteConfigDb({ dataDir, ...common });
}
