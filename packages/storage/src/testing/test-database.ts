/**
 * Opens a real embedded ClickHouse (chDB) for an integration test file: a temp data directory
 * and a database name of its own, so files never see each other's rows.
 */
import { makeTempDir, uniqueDatabaseName } from '@vigil/testkit';
import { openDatabase, type Database } from '../connection.ts';
import { runMigrations, type StorageConfig } from '../migrations.ts';

export interface TestDatabase {
  db: Database;
  /** The data directory; open more databases on the same engine with it. */
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A fresh database; migrated unless `migrate: false`. */
export async function openTestDatabase(
  options: { migrate?: boolean; config?: StorageConfig } = {},
): Promise<TestDatabase> {
  const temp = makeTempDir('vigil-storage-');
  const db = await openDatabase({ dataDir: temp.dir, database: uniqueDatabaseName('vigil_storage') });
  if (options.migrate !== false) await runMigrations(db, options.config);
  return {
    db,
    dataDir: temp.dir,
    cleanup: async () => {
      await db.close();
      temp.cleanup();
    },
  };
}

/** Unix nanoseconds for a millisecond timestamp plus extra nanoseconds. */
export const nsAt = (ms: number, extraNs = 0): bigint => BigInt(ms) * 1_000_000n + BigInt(extraNs);
