import { describe, expect, it } from 'vitest';
import { AppError } from '@vigil/core';
import { compile, sql, type SqlValue } from './sql.ts';

describe('sql tagged template', () => {
  it('turns an interpolated value into a typed parameter instead of SQL text', () => {
    const service = "x' OR 1=1 --";
    expect(compile(sql`SELECT 1 WHERE ServiceName = ${service}`)).toEqual({
      query: 'SELECT 1 WHERE ServiceName = {p0:String}',
      params: { p0: service },
    });
  });

  it.each<[string, SqlValue, string, unknown]>([
    ['a string', 'abc', 'String', 'abc'],
    ['an empty string', '', 'String', ''],
    ['an integer', 42, 'Int64', 42],
    ['a negative integer', -7, 'Int64', -7],
    ['a float', 1.5, 'Float64', 1.5],
    ['a bigint in Int64 range', -(2n ** 63n), 'Int64', -(2n ** 63n)],
    ['a bigint beyond Int64', 2n ** 64n - 1n, 'UInt64', 2n ** 64n - 1n],
    ['a boolean', true, 'Bool', true],
    ['a Date (milliseconds kept)', new Date(1_700_000_000_123), 'DateTime64(3)', '1700000000.123'],
    ['an array of strings', ['a', 'b'], 'Array(String)', ['a', 'b']],
    ['an empty array', [], 'Array(String)', []],
    ['an array of integers', [1, 2], 'Array(Int64)', [1, 2]],
    ['integers mixed with floats', [1, 2.5], 'Array(Float64)', [1, 2.5]],
    ['bigints mixed across Int64/UInt64', [1n, 2n ** 64n - 1n], 'Array(UInt64)', [1n, 2n ** 64n - 1n]],
    ['nested arrays', [['a'], ['b', 'c']], 'Array(Array(String))', [['a'], ['b', 'c']]],
  ])('binds %s as %s', (_name, value, type, sent) => {
    const compiled = compile(sql`SELECT ${value}`);
    expect(compiled.query).toBe(`SELECT {p0:${type}}`);
    expect(compiled.params).toEqual({ p0: sent });
  });

  it.each<[string, SqlValue]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bigint beyond UInt64', 2n ** 64n],
    ['a bigint below Int64', -(2n ** 63n) - 1n],
    ['an invalid Date', new Date(Number.NaN)],
    ['an array mixing strings and numbers', ['a', 1]],
  ])('refuses to bind %s', (_name, value) => {
    expect(() => compile(sql`SELECT ${value}`)).toThrow(AppError);
  });

  it('numbers parameters in order across nested fragments and joins', () => {
    const inner = sql`b = ${2}`;
    const list = sql.join([sql`c = ${3}`, sql`d = ${4}`], sql` OR `);
    const compiled = compile(sql`WHERE a = ${1} AND ${inner} AND (${list}) AND e = ${'5'}`);
    expect(compiled.query).toBe(
      'WHERE a = {p0:Int64} AND b = {p1:Int64} AND (c = {p2:Int64} OR d = {p3:Int64}) AND e = {p4:String}',
    );
    expect(compiled.params).toEqual({ p0: 1, p1: 2, p2: 3, p3: 4, p4: '5' });
  });

  it('compiles the same fragment twice into independent parameter sets', () => {
    const cond = sql`x = ${'v'}`;
    const compiled = compile(sql`${cond} OR ${cond}`);
    expect(compiled.query).toBe('x = {p0:String} OR x = {p1:String}');
    expect(compiled.params).toEqual({ p0: 'v', p1: 'v' });
  });

  it('joins values with the default comma separator', () => {
    expect(compile(sql`IN (${sql.join(['a', 'b'])})`).query).toBe('IN ({p0:String}, {p1:String})');
  });

  it('renders an empty join as nothing and an empty AND as true', () => {
    expect(compile(sql`SELECT 1${sql.join([])}`).query).toBe('SELECT 1');
    expect(compile(sql`WHERE ${sql.and([])}`).query).toBe('WHERE 1');
    expect(compile(sql`WHERE ${sql.and([sql`a`, sql`b`])}`).query).toBe('WHERE (a) AND (b)');
  });

  it('renders validated identifiers verbatim, joining parts with dots', () => {
    expect(compile(sql`SELECT * FROM ${sql.identifier('vigil_1', 'otel_logs')}`).query).toBe(
      'SELECT * FROM vigil_1.otel_logs',
    );
  });

  it.each(['', '1abc', 'a-b', 'a b', 'a.b', 'x;DROP', '`x`', 'é'])('refuses the identifier %j', (name) => {
    expect(() => sql.identifier(name)).toThrow(/invalid identifier/);
  });

  it('binds an explicitly typed parameter and validates the type text', () => {
    expect(compile(sql`TTL t + toIntervalDay(${sql.param(7, 'UInt32')})`)).toEqual({
      query: 'TTL t + toIntervalDay({p0:UInt32})',
      params: { p0: 7 },
    });
    expect(compile(sql`${sql.param(new Date(1500), 'DateTime64(3)')}`).params).toEqual({ p0: '1.500' });
    expect(() => sql.param(1, 'UInt8}) OR ({x:String')).toThrow(/invalid parameter type/);
  });
});
