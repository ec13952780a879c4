import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from './sql.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-database.ts';

// Bound parameters travel through chDB's queryBindAsync; these strings are the ones that break
// naive escaping. Each must come back byte for byte.
const NASTY = [
  "it's",
  'back\\slash \\n not a newline',
  'real\nnewline\r\nand\ttab',
  '"double" and `back` quotes',
  "'); DROP TABLE x; --",
  '{p0:String} looks like a placeholder',
  'unicode: ünïcödé ✓ 日本語 🎉',
  '\0 nul and \u0001 control',
  '',
];

describe('SQL parameters on chDB', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase({ migrate: false });
  });
  afterAll(() => t.cleanup());

  it.each(NASTY)('round-trips the string %j unchanged', async (value) => {
    const [row] = await t.db.query<{ v: string; n: number }>(
      sql`SELECT ${value} AS v, length(${value}) AS n`,
    );
    expect(row?.v).toBe(value);
    expect(row?.n).toBe(Buffer.byteLength(value));
  });

  it('round-trips an array of awkward strings and finds members with IN', async () => {
    const [row] = await t.db.query<{ v: string[]; hit: number; miss: number }>(
      sql`SELECT ${NASTY} AS v, ${NASTY[1]!} IN ${NASTY} AS hit, 'absent' IN ${NASTY} AS miss`,
    );
    expect(row?.v).toEqual(NASTY);
    expect(row?.hit).toBe(1);
    expect(row?.miss).toBe(0);
  });

  it('binds numbers, bigints, booleans and dates with their inferred types', async () => {
    const [row] = await t.db.query<Record<string, string>>(sql`SELECT
      toTypeName(${1}) AS int, toString(${-9_007_199_254_740_993n}) AS big, toString(${2n ** 64n - 1n}) AS ubig,
      toTypeName(${0.25}) AS float, toString(${true}) AS bool,
      toString(toUnixTimestamp64Milli(${new Date(1_700_000_000_123)})) AS ms`);
    expect(row).toEqual({
      int: 'Int64',
      big: '-9007199254740993',
      ubig: '18446744073709551615',
      float: 'Float64',
      bool: 'true',
      ms: '1700000000123',
    });
  });

  it('stores bound values through INSERT … VALUES and filters on them', async () => {
    const table = t.db.table('params_probe');
    await t.db.command(sql`CREATE TABLE ${table} (s String) ENGINE = MergeTree ORDER BY s`);
    for (const value of NASTY) await t.db.command(sql`INSERT INTO ${table} (s) VALUES (${value})`);
    for (const value of NASTY) {
      const rows = await t.db.query<{ s: string }>(sql`SELECT s FROM ${table} WHERE s = ${value}`);
      expect(rows).toEqual([{ s: value }]);
    }
  });

  it('accepts a bound LIMIT', async () => {
    const rows = await t.db.query<{ number: string }>(sql`SELECT number FROM system.numbers LIMIT ${3}`);
    expect(rows).toHaveLength(3);
  });

  it('maps a ClickHouse error to an AppError that keeps the server error as cause', async () => {
    const failure = t.db.query(sql`SELECT * FROM ${t.db.table('no_such_table')}`);
    await expect(failure).rejects.toMatchObject({ name: 'AppError', code: 'internal', expose: false });
    await expect(failure).rejects.toHaveProperty('cause.code', '60');
  });

  it('reports a value that cannot be parsed as its declared type as a bad request', async () => {
    const failure = t.db.query(sql`SELECT ${sql.param('not a number', 'UInt32')}`);
    await expect(failure).rejects.toMatchObject({ code: 'bad_request', expose: true });
  });
});
