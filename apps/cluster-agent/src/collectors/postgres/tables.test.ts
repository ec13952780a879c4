import { describe, expect, it } from 'vitest';
import { pickDatabases } from './database-details.ts';
import { FamilySet } from './families.ts';
import type { DatabaseRow } from './queries.ts';
import { autovacuumSettings, displayValue } from './settings.ts';
import {
  POSTGRES_AUTOVACUUM_DEFAULTS,
  addTableSeries,
  pressures,
  selectTables,
  tableSettings,
  type DbTableStat,
} from './tables.ts';

const table = (name: string, over: Partial<DbTableStat> = {}): DbTableStat => ({
  db: 'app',
  schema: 'public',
  table: name,
  total_bytes: 8192,
  heap_bytes: 8192,
  reltuples: 1000,
  live_tuples: 1000,
  dead_tuples: 0,
  mods_since_analyze: 0,
  last_autovacuum_ms: null,
  last_analyze_ms: null,
  reloptions: '',
  ...over,
});

describe('pressures', () => {
  const cases: Array<[string, Partial<DbTableStat>, { vacuum: number; analyze: number }]> = [
    // trigger 50 + 0.2 × 1000 = 250; analyze 50 + 0.1 × 1000 = 150
    ['at the vacuum trigger', { dead_tuples: 250 }, { vacuum: 1, analyze: 0 }],
    ['twice the analyze trigger', { mods_since_analyze: 300 }, { vacuum: 0, analyze: 2 }],
    [
      'a never-analyzed table (reltuples -1) counts as empty',
      { reltuples: -1, dead_tuples: 100 },
      { vacuum: 2, analyze: 0 },
    ],
    [
      'reloptions override the server settings',
      { dead_tuples: 100, reloptions: 'autovacuum_vacuum_threshold=0,autovacuum_vacuum_scale_factor=0.1' },
      { vacuum: 1, analyze: 0 },
    ],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => expect(pressures(table('t', over), POSTGRES_AUTOVACUUM_DEFAULTS)).toEqual(want));
  }
});

describe('selectTables', () => {
  it('keeps the largest tables and adds small ones past a trigger, most overdue first', () => {
    const big = Array.from({ length: 5 }, (_, i) => table(`big${i}`, { total_bytes: 1e9 - i }));
    const overdue = table('overdue', { dead_tuples: 1000 }); // pressure 4
    const slightly = table('slightly', { mods_since_analyze: 200 }); // pressure 1.33
    const fine = table('fine', { dead_tuples: 10 });
    const chosen = selectTables([...big, fine, slightly, overdue], POSTGRES_AUTOVACUUM_DEFAULTS, {
      bySize: 3,
      problems: 1,
    });
    expect(chosen.map((t) => t.table)).toEqual(['big0', 'big1', 'big2', 'overdue']);
  });
});

describe('tableSettings', () => {
  it('reads autovacuum overrides and ignores other reloptions', () => {
    expect(
      Object.fromEntries(
        tableSettings('fillfactor=70,autovacuum_enabled=off,autovacuum_vacuum_cost_delay=2'),
      ),
    ).toEqual({ autovacuum_disabled: '1', autovacuum_vacuum_cost_delay: '2' });
    expect(tableSettings('')).toEqual(new Map());
  });
});

describe('addTableSeries', () => {
  it('computes the dead-tuple bytes and the seconds since the last autovacuum at emission time', () => {
    const families = new FamilySet('h:5432');
    addTableSeries(
      families,
      [table('t', { live_tuples: 300, dead_tuples: 100, heap_bytes: 8000, last_autovacuum_ms: 1_000 })],
      31_000,
    );
    const value = (name: string): number | undefined =>
      families.toFamilies().find((f) => f.name === name)?.samples[0]?.value;
    expect(value('pg_table_dead_tuple_bytes')).toBe(2000);
    expect(value('pg_table_seconds_since_last_autovacuum')).toBe(30);
    expect(value('pg_table_seconds_since_last_analyze')).toBeUndefined();
    expect(value('pg_table_setting')).toBeUndefined();
  });
});

describe('pickDatabases', () => {
  const db = (name: string, size: number, connectable = true): DatabaseRow => ({
    db: name,
    size_bytes: size,
    xid_age: 0,
    multixact_age: 0,
    connectable,
  });
  it('puts the target database first, then the largest connectable ones, up to the limit', () => {
    const rows = [db('small', 1), db('main', 2), db('huge', 100), db('closed', 1000, false), db('mid', 50)];
    expect(pickDatabases(rows, 'main', 3)).toEqual(['main', 'huge', 'mid']);
  });
});

describe('settings', () => {
  it('shows values with their unit', () => {
    expect(displayValue({ setting: '4096', unit: 'kB' })).toBe('4096 kB');
    expect(displayValue({ setting: '16384', unit: '8kB' })).toBe('16384 × 8kB');
    expect(displayValue({ setting: 'on', unit: '' })).toBe('on');
  });
  it('takes the autovacuum thresholds from the settings, defaults for the missing ones', () => {
    const s = autovacuumSettings([
      {
        name: 'autovacuum_vacuum_scale_factor',
        setting: '0.05',
        unit: '',
        vartype: 'real',
        source: 'configuration file',
      },
    ]);
    expect(s).toEqual({ ...POSTGRES_AUTOVACUUM_DEFAULTS, vacuumScaleFactor: 0.05 });
  });
});
