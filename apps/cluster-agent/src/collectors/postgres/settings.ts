/**
 * pg_settings rows → the autovacuum settings the table selection needs, and settings changes.
 *
 * Change tracking compares server settings only: values from our own session (`client`,
 * `session`), from `ALTER DATABASE/ROLE … SET` (`database`, `user`, `database user`: they apply
 * to the collector's session, not to the server) and `override` (per-transaction state such as
 * transaction_isolation) are left out, as Coroot's cluster agent leaves out session/client/override.
 */
import type { DatabaseChange } from '../../changes/database-change.ts';
import { SettingsTracker } from '../../changes/settings-tracker.ts';
import type { SettingRow } from './queries.ts';
import { POSTGRES_AUTOVACUUM_DEFAULTS, type AutovacuumSettings } from './tables.ts';

const SESSION_SOURCES = new Set(['client', 'session', 'override', 'database', 'user', 'database user']);

/** `4096 kB`, `16384 × 8kB`, `on`: the value with its unit, as people read it. */
export function displayValue(s: Pick<SettingRow, 'setting' | 'unit'>): string {
  if (s.unit === '') return s.setting;
  return /^\d/.test(s.unit) ? `${s.setting} × ${s.unit}` : `${s.setting} ${s.unit}`;
}

export class SettingsChanges {
  readonly #tracker = new SettingsTracker();

  /** The server's settings this round; changes since the previous round (none the first time). */
  update(settings: readonly SettingRow[], timeMs: number): DatabaseChange[] {
    const values = new Map<string, string>();
    for (const s of settings) if (!SESSION_SOURCES.has(s.source)) values.set(s.name, displayValue(s));
    return this.#tracker.update(values, timeMs);
  }
}

/** The autovacuum thresholds from this round's settings (Postgres's defaults for any missing). */
export function autovacuumSettings(settings: readonly SettingRow[] | undefined): AutovacuumSettings {
  const byName = new Map((settings ?? []).map((s) => [s.name, Number(s.setting)]));
  const pick = (name: string, fallback: number): number => {
    const v = byName.get(name);
    return v !== undefined && Number.isFinite(v) ? v : fallback;
  };
  const d = POSTGRES_AUTOVACUUM_DEFAULTS;
  return {
    vacuumThreshold: pick('autovacuum_vacuum_threshold', d.vacuumThreshold),
    vacuumScaleFactor: pick('autovacuum_vacuum_scale_factor', d.vacuumScaleFactor),
    analyzeThreshold: pick('autovacuum_analyze_threshold', d.analyzeThreshold),
    analyzeScaleFactor: pick('autovacuum_analyze_scale_factor', d.analyzeScaleFactor),
  };
}
