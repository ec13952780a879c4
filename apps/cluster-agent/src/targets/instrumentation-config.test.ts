import { describe, expect, it } from 'vitest';
import { parseInstrumentationConfig } from './instrumentation-config.ts';
import { staticTargets } from './target-source.ts';

describe("the server's /v1/config answer", () => {
  it("reads Coroot's shape: port as text or number, credentials and params optional", () => {
    const { targets, problems } = parseInstrumentationConfig({
      application_instrumentation: [
        {
          type: 'postgres',
          host: '10.0.0.5',
          port: '5432',
          credentials: { username: 'coroot', password: 's3cret' },
          params: { sslmode: 'disable' },
          instance: '/k8s/db/pg-0/postgres',
        },
        { type: 'redis', host: '127.0.0.1', port: 6379, credentials: null, params: null },
      ],
      aws_config: null,
    });
    expect(problems).toEqual([]);
    expect(targets).toEqual([
      {
        type: 'postgres',
        host: '10.0.0.5',
        port: 5432,
        credentials: { username: 'coroot', password: 's3cret' },
        params: { sslmode: 'disable' },
        instance: '/k8s/db/pg-0/postgres',
      },
      { type: 'redis', host: '127.0.0.1', port: 6379 },
    ]);
  });

  it('drops an entry it cannot use, says why, and keeps the others', () => {
    const { targets, problems } = parseInstrumentationConfig({
      application_instrumentation: [
        { type: 'cassandra', host: 'c', port: 9042 },
        { type: 'mysql', host: '', port: 3306 },
        { type: 'mysql', host: 'db', port: '70000' },
        { type: 'memcached', host: 'cache', port: 11211 },
      ],
    });
    expect(targets.map((t) => t.type)).toEqual(['memcached']);
    expect(problems).toEqual([
      'entry 0: type "cassandra" is not one of postgres, mysql, redis, memcached, mongodb',
      'entry 1: host: host is empty',
      'entry 2: port "70000" is not 1-65535',
    ]);
    expect(parseInstrumentationConfig({}).targets).toEqual([]);
    expect(parseInstrumentationConfig({ application_instrumentation: 'x' }).problems).toEqual([
      'application_instrumentation is not a list',
    ]);
  });

  it('takes extra targets from VIGIL_CLUSTER_TARGETS and refuses a bad one at start-up', () => {
    expect(staticTargets('[{"type":"redis","host":"127.0.0.1","port":6379}]')).toEqual([
      { type: 'redis', host: '127.0.0.1', port: 6379 },
    ]);
    expect(staticTargets(undefined)).toEqual([]);
    expect(() => staticTargets('[{"type":"redis"')).toThrow(/VIGIL_CLUSTER_TARGETS is not JSON/);
    expect(() => staticTargets('[{"type":"redis","host":"h","port":0}]')).toThrow(/port 0 is not 1-65535/);
  });
});
