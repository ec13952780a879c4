import { describe, expect, it } from 'vitest';
import { obfuscateQuery } from './obfuscate.ts';

describe('obfuscateQuery', () => {
  it.each([
    [
      'integers and decimals',
      'SELECT * FROM t WHERE a = 42 AND b > 3.14 AND c < 1e-5',
      'SELECT * FROM t WHERE a = ? AND b > ? AND c < ?',
    ],
    ['a leading-dot decimal', 'SELECT .5 + x', 'SELECT ? + x'],
    ['digits inside identifiers stay', 'SELECT col_2, t1.a3 FROM t1', 'SELECT col_2, t1.a3 FROM t1'],
    ['quoted identifiers stay', 'SELECT "Col 1", "it\'s 2" FROM t', 'SELECT "Col 1", "it\'s 2" FROM t'],
    ['strings with doubled quotes', "SELECT 'it''s', 'x' FROM t", 'SELECT ?, ? FROM t'],
    ['E-strings with backslash escapes', "SELECT E'a\\'b' || x", 'SELECT ? || x'],
    ['dollar-quoted strings', "SELECT $$a $1 'b'$$, $tag$x$tag$", 'SELECT ?, ?'],
    [
      'positional parameters',
      'SELECT * FROM t WHERE id = $1 AND name = $12',
      'SELECT * FROM t WHERE id = ? AND name = ?',
    ],
    [
      'IN lists of literals',
      'SELECT 1 FROM t WHERE id IN (1, 2, 3) OR k in ($1,$2)',
      'SELECT ? FROM t WHERE id IN (?) OR k IN (?)',
    ],
    [
      'IN with a subquery stays',
      'SELECT 1 FROM t WHERE id IN (SELECT id FROM u)',
      'SELECT ? FROM t WHERE id IN (SELECT id FROM u)',
    ],
    [
      'comments removed',
      "SELECT 1 -- the 'answer'\nFROM t /* 2 */ WHERE x = 3",
      'SELECT ? FROM t WHERE x = ?',
    ],
    ['whitespace collapsed', '  SELECT\n\t a ,\n b   FROM t  ', 'SELECT a , b FROM t'],
    [
      'an unterminated string cut by the server',
      "INSERT INTO t VALUES ('secret and mor",
      'INSERT INTO t VALUES (?',
    ],
    ['bit and hex strings', "SELECT B'0101', X'ff'", 'SELECT ?, ?'],
    [
      'a statement without literals',
      'LOCK TABLE t IN ACCESS EXCLUSIVE MODE',
      'LOCK TABLE t IN ACCESS EXCLUSIVE MODE',
    ],
  ])('replaces %s', (_case, input, expected) => {
    expect(obfuscateQuery(input)).toBe(expected);
  });

  it('cuts the result at the given length', () => {
    const long = `SELECT ${Array.from({ length: 100 }, (_, i) => `c${i}`).join(', ')} FROM t`;
    const out = obfuscateQuery(long, 40);
    expect(out).toHaveLength(40);
    expect(long.startsWith(out)).toBe(true);
  });

  it('never lets a value through', () => {
    const out = obfuscateQuery("UPDATE users SET password = 'hunter2', pin = 1234 WHERE email = 'a@b.c'");
    expect(out).toBe('UPDATE users SET password = ?, pin = ? WHERE email = ?');
  });
});
