import { describe, expect, it } from 'vitest';
import { obfuscateMysqlQuery } from './obfuscate.ts';

describe('obfuscateMysqlQuery', () => {
  it.each([
    ['numbers', 'SELECT * FROM t WHERE id = 42 AND x > 1.5e3', 'SELECT * FROM t WHERE id = ? AND x > ?'],
    ['single-quoted strings with escapes', "SELECT 'it\\'s', 'a''b' FROM t", 'SELECT ?, ? FROM t'],
    ['double-quoted strings', 'SELECT * FROM t WHERE name = "x\\"y"', 'SELECT * FROM t WHERE name = ?'],
    ['hex and bit literals', "SELECT X'ff', 0xff, b'01', 0b01", 'SELECT ?, ?, ?, ?'],
    ['back-quoted identifiers kept', 'SELECT `col 1`, `2fa` FROM `t1`', 'SELECT `col 1`, `2fa` FROM `t1`'],
    ['comments dropped', "SELECT 1 -- note\n# other\nFROM t /* 'x' 9 */", 'SELECT ? FROM t'],
    ['IN lists collapsed', 'SELECT * FROM t WHERE id IN (1, 2, 3)', 'SELECT * FROM t WHERE id IN (?)'],
    ['digest text', 'SELECT `v` FROM `t` WHERE `id` IN (...) ', 'SELECT `v` FROM `t` WHERE `id` IN (?)'],
    ['unterminated string (cut text)', "SELECT * FROM t WHERE a = 'abc", 'SELECT * FROM t WHERE a = ?'],
    ['digits inside words kept', 'SELECT col1 FROM t2', 'SELECT col1 FROM t2'],
  ])('replaces %s', (_name, input, expected) => {
    expect(obfuscateMysqlQuery(input)).toBe(expected);
  });

  it('cuts the text at the label length', () => {
    expect(obfuscateMysqlQuery(`SELECT ${'a, '.repeat(400)}b`, 20)).toHaveLength(20);
  });
});
