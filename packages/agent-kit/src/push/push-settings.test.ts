import { describe, expect, it } from 'vitest';
import { isAppError } from '@vigil/core';
import { parseByteSize } from '@vigil/core';
import { readPushSettings, type Env } from './push-settings.ts';

const ctx = { isRoot: false, cwd: '/work/here' };
const errorOf = (env: Env): string => {
  try {
    readPushSettings(env, ctx);
  } catch (err) {
    expect(isAppError(err) && err.code === 'bad_request').toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected the settings to be refused');
};

describe('readPushSettings', () => {
  it('has push off and defaults when nothing is set', () => {
    expect(readPushSettings({}, ctx)).toEqual({
      collectorUrl: undefined,
      apiKey: undefined,
      scrapeIntervalMs: 15_000,
      dataDir: '/work/here/data',
      spoolDir: '/work/here/data/spool',
      spoolMaxBytes: 500 * 1024 * 1024,
    });
    expect(readPushSettings({}, { isRoot: true }).dataDir).toBe('/var/lib/vigil/node-agent');
  });

  it('reads every setting, normalising the URL', () => {
    const s = readPushSettings(
      {
        VIGIL_COLLECTOR_URL: 'https://vigil.example.com:8443/base/',
        VIGIL_API_KEY: 'k3y-ABC_123',
        VIGIL_SCRAPE_INTERVAL: '1m',
        VIGIL_DATA_DIR: '/srv/agent',
        VIGIL_SPOOL_MAX_BYTES: '2GiB',
      },
      ctx,
    );
    expect(s).toEqual({
      collectorUrl: 'https://vigil.example.com:8443/base',
      apiKey: 'k3y-ABC_123',
      scrapeIntervalMs: 60_000,
      dataDir: '/srv/agent',
      spoolDir: '/srv/agent/spool',
      spoolMaxBytes: 2 * 1024 ** 3,
    });
  });

  it.each([
    // [case, env, expected part]
    [
      'Coroot names as aliases',
      { COLLECTOR_ENDPOINT: 'http://coroot:8080', API_KEY: 'a', SCRAPE_INTERVAL: '1s' },
      { collectorUrl: 'http://coroot:8080', apiKey: 'a', scrapeIntervalMs: 1000 },
    ],
    [
      'VIGIL_ names win over aliases',
      {
        VIGIL_COLLECTOR_URL: 'http://vigil:8080',
        COLLECTOR_ENDPOINT: 'http://coroot:8080',
        VIGIL_API_KEY: 'v',
        API_KEY: 'c',
        VIGIL_SCRAPE_INTERVAL: '500ms',
        SCRAPE_INTERVAL: '30s',
      },
      { collectorUrl: 'http://vigil:8080', apiKey: 'v', scrapeIntervalMs: 500 },
    ],
    [
      'an empty VIGIL_ name counts as unset',
      { VIGIL_API_KEY: '', API_KEY: 'c', VIGIL_COLLECTOR_URL: ' ' },
      { apiKey: 'c', collectorUrl: undefined },
    ],
    ['durations the Prometheus way', { VIGIL_SCRAPE_INTERVAL: '1m30s' }, { scrapeIntervalMs: 90_000 }],
    [
      'a relative data directory is resolved',
      { VIGIL_DATA_DIR: 'var/agent' },
      { dataDir: '/work/here/var/agent', spoolDir: '/work/here/var/agent/spool' },
    ],
    ['a spool bound in plain bytes', { VIGIL_SPOOL_MAX_BYTES: '10485760' }, { spoolMaxBytes: 10_485_760 }],
  ])('%s', (_case, env, expected) => {
    expect(readPushSettings(env, ctx)).toMatchObject(expected);
  });

  it.each([
    [
      'VIGIL_COLLECTOR_URL',
      { VIGIL_COLLECTOR_URL: 'vigil:8080' },
      /VIGIL_COLLECTOR_URL: "vigil:8080" must be an http/,
    ],
    [
      'COLLECTOR_ENDPOINT',
      { COLLECTOR_ENDPOINT: 'not a url' },
      /COLLECTOR_ENDPOINT: "not a url" is not a URL/,
    ],
    [
      'a URL with credentials',
      { VIGIL_COLLECTOR_URL: 'http://user:pw@vigil:8080' },
      /must not contain a user name or password/,
    ],
    ['a URL with a query', { VIGIL_COLLECTOR_URL: 'http://vigil:8080/?x=1' }, /must not have a query/],
    ['an API key with a space', { API_KEY: 'two words' }, /API_KEY: must be printable ASCII/],
    [
      'an interval without a unit',
      { VIGIL_SCRAPE_INTERVAL: '15' },
      /VIGIL_SCRAPE_INTERVAL: invalid duration "15"/,
    ],
    ['a zero interval', { SCRAPE_INTERVAL: '0s' }, /SCRAPE_INTERVAL: "0s" is shorter than 100ms/],
    [
      'a spool bound that is not a size',
      { VIGIL_SPOOL_MAX_BYTES: 'lots' },
      /VIGIL_SPOOL_MAX_BYTES: "lots" is not a size/,
    ],
    ['a tiny spool bound', { VIGIL_SPOOL_MAX_BYTES: '10k' }, /less than 1MiB/],
  ])('refuses %s, naming the variable', (_case, env, message) => {
    expect(errorOf(env)).toMatch(message);
  });

  it('lists every problem at once and never echoes the API key', () => {
    const message = errorOf({
      VIGIL_COLLECTOR_URL: 'ftp://x',
      VIGIL_API_KEY: 'sec ret',
      VIGIL_SCRAPE_INTERVAL: 'soon',
      VIGIL_SPOOL_MAX_BYTES: '-1',
    });
    expect(message.split('\n')).toHaveLength(5);
    expect(message).toMatch(/^invalid node agent push settings:/);
    for (const name of [
      'VIGIL_COLLECTOR_URL',
      'VIGIL_API_KEY',
      'VIGIL_SCRAPE_INTERVAL',
      'VIGIL_SPOOL_MAX_BYTES',
    ]) {
      expect(message).toContain(`${name}:`);
    }
    expect(message).not.toContain('sec ret');
  });
});

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1_048_576],
    ['500MB', 500 * 1024 ** 2],
    ['500 MiB', 500 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['512k', 512 * 1024],
    ['12 parsecs', undefined],
    ['', undefined],
    ['-5', undefined],
  ])('%j → %j', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
});
