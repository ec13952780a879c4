/**
 * Which tables get per-table series, and the series. Cardinality is bounded per server (all
 * databases together): the TOP_TABLES_BY_SIZE largest tables, plus up to MAX_PROBLEM_TABLES
 * tables past their autovacuum or autoanalyze trigger, most overdue first, whatever their size.
 *
 * The triggers are Postgres's own (per-table reloptions override the server settings):
 *
 *   vacuum trigger   = autovacuum_vacuum_threshold  + autovacuum_vacuum_scale_factor  × reltuples
 *   analyze trigger  = autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × reltuples
 *   vacuum pressure  = dead tuples ÷ vacuum trigger            (Coroot's autovacuum check: ≥ 2)
 *   analyze pressure = mods since analyze ÷ analyze trigger    (Coroot's stale statistics: ≥ 2)
 *
 * A table with a pressure ≥ 1 — autovacuum should already have acted — counts as a problem.
 */
import type { FamilySet } from './families.ts';
import type { TableStatRow } from './table-queries.ts';

export const TOP_TABLES_BY_SIZE = 100;
export const MAX_PROBLEM_TABLES = 100;

/** A table's statistics with its database. */
export interface DbTableStat extends TableStatRow {
  readonly db: string;
}

/** The server-wide autovacuum settings (pg_settings), Postgres's defaults when unknown. */
export interface AutovacuumSettings {
  readonly vacuumThreshold: number;
  readonly vacuumScaleFactor: number;
  readonly analyzeThreshold: number;
  readonly analyzeScaleFactor: number;
}

export const POSTGRES_AUTOVACUUM_DEFAULTS: AutovacuumSettings = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
};

/** Reloption overrides Coroot carries as `pg_table_setting` labels (autovacuum_enabled as autovacuum_disabled). */
const TABLE_SETTING_LABELS = [
  'autovacuum_disabled',
  'autovacuum_vacuum_scale_factor',
  'autovacuum_vacuum_threshold',
  'autovacuum_vacuum_cost_delay',
  'autovacuum_vacuum_cost_limit',
  'autovacuum_analyze_scale_factor',
  'autovacuum_analyze_threshold',
] as const;

/** `autovacuum_enabled=false,fillfactor=70` → the overrides among TABLE_SETTING_LABELS. */
export function tableSettings(reloptions: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const option of reloptions.split(',')) {
    const eq = option.indexOf('=');
    if (eq <= 0) continue;
    const [name, value] = [option.slice(0, eq), option.slice(eq + 1)];
    if (name === 'autovacuum_enabled') {
      if (value === 'false' || value === 'off') out.set('autovacuum_disabled', '1');
    } else if ((TABLE_SETTING_LABELS as readonly string[]).includes(name)) {
      out.set(name, value);
    }
  }
  return out;
}

function effective(overrides: Map<string, string>, name: string, fallback: number): number {
  const v = Number(overrides.get(name));
  return overrides.has(name) && Number.isFinite(v) ? v : fallback;
}

/** Dead tuples and modifications relative to their autovacuum/autoanalyze triggers. */
export function pressures(t: TableStatRow, s: AutovacuumSettings): { vacuum: number; analyze: number } {
  const o = tableSettings(t.reloptions);
  const rows = Math.max(t.reltuples, 0);
  const vacuumTrigger =
    effective(o, 'autovacuum_vacuum_threshold', s.vacuumThreshold) +
    effective(o, 'autovacuum_vacuum_scale_factor', s.vacuumScaleFactor) * rows;
  const analyzeTrigger =
    effective(o, 'autovacuum_analyze_threshold', s.analyzeThreshold) +
    effective(o, 'autovacuum_analyze_scale_factor', s.analyzeScaleFactor) * rows;
  return {
    vacuum: vacuumTrigger > 0 ? t.dead_tuples / vacuumTrigger : t.dead_tuples > 0 ? Infinity : 0,
    analyze:
      analyzeTrigger > 0 ? t.mods_since_analyze / analyzeTrigger : t.mods_since_analyze > 0 ? Infinity : 0,
  };
}

/** The tables to report: the largest, and the most overdue for vacuum or analyze (see the header). */
export function selectTables(
  tables: readonly DbTableStat[],
  settings: AutovacuumSettings,
  limits = { bySize: TOP_TABLES_BY_SIZE, problems: MAX_PROBLEM_TABLES },
): DbTableStat[] {
  const chosen = new Set<DbTableStat>(
    [...tables].sort((a, b) => b.total_bytes - a.total_bytes).slice(0, limits.bySize),
  );
  const overdue = tables
    .map((t) => {
      const p = pressures(t, settings);
      return { t, pressure: Math.max(p.vacuum, p.analyze) };
    })
    .filter((x) => x.pressure >= 1 && !chosen.has(x.t))
    .sort((a, b) => b.pressure - a.pressure)
    .slice(0, limits.problems);
  for (const { t } of overdue) chosen.add(t);
  return [...chosen];
}

/** The per-table series of `tables`; the "seconds since" ones as of `nowMs`. */
export function addTableSeries(families: FamilySet, tables: readonly DbTableStat[], nowMs: number): void {
  for (const t of tables) {
    const labels = { db: t.db, schema: t.schema, table: t.table };
    families.add('pg_table_size_bytes', t.total_bytes, labels);
    families.add('pg_table_reltuples', t.reltuples, labels);
    families.add('pg_table_live_tuples', t.live_tuples, labels);
    families.add('pg_table_dead_tuples', t.dead_tuples, labels);
    const tuples = t.live_tuples + t.dead_tuples;
    families.add(
      'pg_table_dead_tuple_bytes',
      tuples > 0 ? (t.dead_tuples / tuples) * t.heap_bytes : 0,
      labels,
    );
    families.add('pg_table_mods_since_analyze', t.mods_since_analyze, labels);
    if (t.last_autovacuum_ms !== null)
      families.add(
        'pg_table_seconds_since_last_autovacuum',
        Math.max(0, (nowMs - t.last_autovacuum_ms) / 1000),
        labels,
      );
    if (t.last_analyze_ms !== null)
      families.add(
        'pg_table_seconds_since_last_analyze',
        Math.max(0, (nowMs - t.last_analyze_ms) / 1000),
        labels,
      );
    const overrides = tableSettings(t.reloptions);
    if (overrides.size > 0) {
      const settingLabels: Record<string, string> = { ...labels };
      for (const name of TABLE_SETTING_LABELS) settingLabels[name] = overrides.get(name) ?? '';
      families.add('pg_table_setting', 1, settingLabels);
    }
  }
}
