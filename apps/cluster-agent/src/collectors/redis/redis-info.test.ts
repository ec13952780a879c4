import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { infoNumber, parseRedisInfo } from './redis-info.ts';

const masterInfo = readFileSync(new URL('./testdata/info-all-master-7.0.txt', import.meta.url), 'utf8');

describe('parseRedisInfo', () => {
  it('reads the fields of every section of a captured Redis 7.0 INFO ALL', () => {
    const info = parseRedisInfo(masterInfo);
    expect(info.fields.get('redis_version')).toBe('7.0.15');
    expect(info.fields.get('role')).toBe('master');
    expect(info.fields.get('maxmemory_policy')).toBe('noeviction');
    expect(infoNumber(info, 'used_memory')).toBe(1207136);
    expect(infoNumber(info, 'connected_slaves')).toBe(1);
    expect(infoNumber(info, 'used_memory_human')).toBeUndefined();
    expect(infoNumber(info, 'no_such_field')).toBeUndefined();
  });

  it('reads commandstats, keeping subcommands and the 6.2+ rejected/failed counts', () => {
    const info = parseRedisInfo(masterInfo);
    expect(info.commands).toHaveLength(10);
    expect(info.commands).toContainEqual({
      cmd: 'set',
      calls: 4,
      usec: 34,
      rejectedCalls: 0,
      failedCalls: 0,
    });
    expect(info.commands).toContainEqual({
      cmd: 'config|get',
      calls: 1,
      usec: 13,
      rejectedCalls: 0,
      failedCalls: 0,
    });
    expect(info.commands).toContainEqual({
      cmd: 'incr',
      calls: 1,
      usec: 7,
      rejectedCalls: 0,
      failedCalls: 1,
    });
  });

  it('reads the keyspace per database', () => {
    expect(parseRedisInfo(masterInfo).keyspace).toEqual([
      { db: 'db0', keys: 4, expires: 1 },
      { db: 'db2', keys: 1, expires: 0 },
    ]);
  });

  it.each([
    {
      name: 'Redis 5 commandstats without rejected/failed calls',
      text: '# Commandstats\r\ncmdstat_GET:calls=7,usec=21,usec_per_call=3.00\r\n',
      commands: [{ cmd: 'get', calls: 7, usec: 21, rejectedCalls: undefined, failedCalls: undefined }],
    },
    {
      name: 'LF line endings and lines that are not fields',
      text: '# Server\nredis_version:6.2.1\ngarbage\n:novalue\n\ncmdstat_del:calls=x,usec=1\n',
      commands: [],
    },
    { name: 'an empty reply', text: '', commands: [] },
  ])('copes with $name', ({ text, commands }) => {
    const info = parseRedisInfo(text);
    expect(info.commands).toEqual(commands);
    expect([...info.fields.keys()].every((k) => k !== '' && !k.includes('#'))).toBe(true);
  });
});
