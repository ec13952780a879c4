/**
 * The server-wide sections of a round, run in order on the collector's kept connection; each
 * failure is reported and the next section still runs. Sections leave what later steps need
 * (settings, databases) on the Round.
 */
import type { Round } from './collector.ts';
import { activitySeries } from './activity.ts';
import {
  readActivity,
  readCheckpoints,
  readCheckpointState,
  readDatabases,
  readSettings,
  readWal,
  readWalSize,
} from './queries.ts';

type Section = (round: Round) => Promise<void>;

const NUMERIC_VARTYPES = new Set(['integer', 'real', 'bool']);

export const SECTIONS: ReadonlyArray<readonly [string, Section]> = [
  [
    'settings',
    async (round) => {
      round.settings = await readSettings(round.run);
      for (const s of round.settings) {
        if (!NUMERIC_VARTYPES.has(s.vartype)) continue;
        const value = s.vartype === 'bool' ? (s.setting === 'on' ? 1 : 0) : Number(s.setting);
        if (Number.isFinite(value)) round.families.add('pg_setting', value, { name: s.name, unit: s.unit });
      }
    },
  ],
  [
    'activity',
    async ({ run, families }) => {
      const { connections, lockAwaiting } = activitySeries(await readActivity(run));
      for (const c of connections) families.add('pg_connections', c.value, c.labels);
      for (const l of lockAwaiting) families.add('pg_lock_awaiting_queries', l.value, l.labels);
    },
  ],
  [
    'databases',
    async (round) => {
      round.databases = await readDatabases(round.run);
      for (const d of round.databases) {
        if (d.size_bytes !== null) round.families.add('pg_database_size_bytes', d.size_bytes, { db: d.db });
        round.families.add('pg_xid_age', d.xid_age, { db: d.db });
        round.families.add('pg_multixact_age', d.multixact_age, { db: d.db });
      }
    },
  ],
  [
    'wal',
    async ({ run, info, families }) => {
      const wal = await readWal(run, info.inRecovery);
      if (wal.current_lsn !== null) families.add('pg_wal_current_lsn', wal.current_lsn);
      if (wal.receive_lsn !== null) families.add('pg_wal_receive_lsn', wal.receive_lsn);
      if (wal.replay_lsn !== null) families.add('pg_wal_reply_lsn', wal.replay_lsn);
      if (wal.replay_paused !== null) families.add('pg_wal_replay_paused', wal.replay_paused ? 1 : 0);
      const size = await readWalSize(run);
      if (size !== undefined) families.add('pg_wal_size_bytes', size);
    },
  ],
  [
    'checkpoints',
    async ({ run, info, families }) => {
      const cp = await readCheckpoints(run, info.versionNum);
      families.add('pg_checkpoints_total', cp.timed, { kind: 'timed' });
      families.add('pg_checkpoints_total', cp.requested, { kind: 'requested' });
      const state = await readCheckpointState(run, info.inRecovery);
      if (state.since_seconds !== null)
        families.add('pg_time_since_last_checkpoint_seconds', state.since_seconds);
      if (state.wal_since_bytes !== null)
        families.add('pg_wal_since_last_checkpoint_bytes', state.wal_since_bytes);
    },
  ],
];
