import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrationSql, type Migration } from './migrations.ts';

describe('migrations', () => {
  it('are numbered 1, 2, 3… in order, so each database applies them in the same order', () => {
    expect(MIGRATIONS.map((m) => m.id)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
  });

  it('pick the text for the dialect when one is given per dialect', () => {
    const migration: Migration = { id: 9, name: 'x', sql: { sqlite: 'A', postgres: 'B' } };
    expect(migrationSql(migration, 'sqlite')).toBe('A');
    expect(migrationSql(migration, 'postgres')).toBe('B');
    expect(migrationSql({ id: 9, name: 'x', sql: 'C' }, 'postgres')).toBe('C');
  });
});
