import { describe, expect, it } from 'vitest';
import { parseAppName, parsePyroscopeParams } from './profiles-pyroscope-params.ts';

describe('parseAppName', () => {
  const cases: Array<[string, { service: string; kind: string; labels: Record<string, string> }]> = [
    [
      'my.awesome.app.cpu{env=staging,region=us-west-1}',
      { service: 'my.awesome.app', kind: 'cpu', labels: { env: 'staging', region: 'us-west-1' } },
    ],
    ['ride-sharing.alloc_space', { service: 'ride-sharing', kind: 'alloc_space', labels: {} }],
    ['backend.v2{}', { service: 'backend.v2', kind: 'cpu', labels: {} }],
    ['svc{ pod = "a b" }', { service: 'svc', kind: 'cpu', labels: { pod: 'a b' } }],
  ];
  for (const [name, expected] of cases) {
    it(`reads ${name}`, () => expect(parseAppName(name)).toEqual(expected));
  }

  it('refuses a name that is only a profile kind', () => {
    expect(() => parseAppName('.cpu')).toThrow(/no application name/);
  });
});

describe('parsePyroscopeParams', () => {
  it('reads times in seconds or milliseconds and keeps the spy name as a label', () => {
    const p = parsePyroscopeParams({
      name: 'a.cpu',
      from: '1700000000',
      until: '1700000010000',
      spyName: 'rbspy',
    });
    expect(p.startUnixNano).toBe(1_700_000_000_000_000_000n);
    expect(p.endUnixNano).toBe(1_700_000_010_000_000_000n);
    expect(p.labels).toEqual({ 'spy.name': 'rbspy' });
    expect(p.format).toBe('folded');
    expect(p.units).toBe('samples');
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ name: 'a', from: 'now-1h' }, /"from" must be a Unix time in seconds/],
    [{ name: 'a', from: '20', until: '10' }, /"until" is before "from"/],
    [{ name: 'a', sampleRate: 'fast' }, /sampleRate/],
    [{ name: 'a', aggregationType: 'max' }, /sum or average/],
    [{ name: 'a', format: 'trie' }, /unsupported format "trie"/],
  ];
  for (const [query, message] of bad) {
    it(`refuses ${JSON.stringify(query)}`, () => expect(() => parsePyroscopeParams(query)).toThrow(message));
  }
});
