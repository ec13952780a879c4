import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { ConfigError, loadServerConfig } from './load-config.ts';

const tmp = makeTempDir();
afterAll(tmp.cleanup);

describe('loadServerConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const c = loadServerConfig({ argv: [], env: {} });
    expect(c.dataDir).toBe('./data');
    expect(c.listen).toEqual({ host: '', port: 8080 });
    expect(c.otlpGrpcListen.port).toBe(4317);
    expect(c.otlpHttpListen.port).toBe(4318);
    expect(c.clickhouseUrl).toBeUndefined();
    expect(c.anonymousRole).toBeUndefined();
    expect(c.tracesTtlDays).toBe(7);
    expect(c.logsTtlDays).toBe(7);
    expect(c.profilesTtlDays).toBe(7);
  });

  it('reads the profiles retention like the others', () => {
    expect(loadServerConfig({ argv: [], env: { VIGIL_PROFILES_TTL: '3d' } }).profilesTtlDays).toBe(3);
    expect(loadServerConfig({ argv: ['--profiles-ttl', '14d'], env: {} }).profilesTtlDays).toBe(14);
  });

  it('prefers flags over environment over YAML over defaults', () => {
    const file = path.join(tmp.dir, 'vigil.yaml');
    writeFileSync(file, 'listen: ":7000"\ndata_dir: /from/yaml\nlogs_ttl: 3d\ntraces_ttl: 2d\n');
    const c = loadServerConfig({
      argv: ['--config', file, '--listen=127.0.0.1:9000'],
      env: { VIGIL_LISTEN: ':8000', VIGIL_DATA_DIR: '/from/env', VIGIL_LOGS_TTL: '5d' },
    });
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(c.dataDir).toBe('/from/env');
    expect(c.logsTtlDays).toBe(5);
    expect(c.tracesTtlDays).toBe(2);
  });

  it('accepts Coroot names as aliases and roles in any case', () => {
    const c = loadServerConfig({ argv: [], env: { AUTH_ANONYMOUS_ROLE: 'viewer', LISTEN: '[::1]:8081' } });
    expect(c.anonymousRole).toBe('Viewer');
    expect(c.listen).toEqual({ host: '::1', port: 8081 });
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadServerConfig({
        argv: ['--listen', 'nowhere', '--bogus', 'x'],
        env: { VIGIL_TRACES_TTL: '12h', VIGIL_AUTH_ANONYMOUS_ROLE: 'Root', VIGIL_OTLP_GRPC_LISTEN: ':99999' },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/--listen: "nowhere" is not a listen address/);
    expect(problems).toMatch(/unknown flag --bogus/);
    expect(problems).toMatch(/VIGIL_TRACES_TTL: "12h" must be a whole number of days/);
    expect(problems).toMatch(/VIGIL_AUTH_ANONYMOUS_ROLE: "Root" is not a role/);
    expect(problems).toMatch(/above 65535/);
    expect((err as ConfigError).problems).toHaveLength(5);
  });

  it('reports unknown keys and unreadable config files', () => {
    const file = path.join(tmp.dir, 'bad.yaml');
    writeFileSync(file, 'lisen: ":1"\n');
    expect(() => loadServerConfig({ argv: ['--config', file], env: {} })).toThrow(/unknown setting "lisen"/);
    expect(() =>
      loadServerConfig({ argv: ['--config', path.join(tmp.dir, 'missing.yaml')], env: {} }),
    ).toThrow(/missing\.yaml/);
  });
});
