import { describe, expect, it } from 'vitest';
import { AppError } from '@vigil/core';
import { quoteIdent, renderSql, sql } from './sql.ts';

describe('sql tag', () => {
  const name = "o'brien; DROP TABLE users";
  const query = sql`SELECT id FROM users WHERE username = ${name} AND created_at > ${5}`;

  it('keeps values out of the SQL text', () => {
    expect(query.values).toEqual([name, 5]);
    expect(renderSql(query, () => '?')).toBe('SELECT id FROM users WHERE username = ? AND created_at > ?');
  });

  it('numbers placeholders for Postgres', () => {
    expect(renderSql(query, (i) => `$${i}`)).toBe(
      'SELECT id FROM users WHERE username = $1 AND created_at > $2',
    );
  });

  it('renders a query without values unchanged', () => {
    expect(renderSql(sql`SELECT 1`, () => '?')).toBe('SELECT 1');
  });
});

describe('quoteIdent', () => {
  it.each(['vigil', 'vigil_test_123', '_x'])('quotes the plain identifier %s', (ident) => {
    expect(quoteIdent(ident)).toBe(`"${ident}"`);
  });

  it.each(['Vigil', 'a"b', 'a b', '1abc', '', 'x'.repeat(64), 'public; DROP SCHEMA x'])(
    'refuses %j',
    (ident) => {
      expect(() => quoteIdent(ident)).toThrow(AppError);
    },
  );
});
