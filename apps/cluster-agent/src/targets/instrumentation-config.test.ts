import { describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { parseInstrumentationConfig } from './instrumentation-config.ts';
import { serverTargets, staticTargets } from './target-source.ts';

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

describe("the server's aws_config", () => {
  const coroot = {
    region: 'eu-west-1',
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
    secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    rds_tag_filters: { env: 'prod*' },
    elasticache_tag_filters: null,
  };

  it("reads Coroot's shape into static keys and tag filters", () => {
    const parsed = parseInstrumentationConfig({ application_instrumentation: [], aws_config: coroot });
    expect(parsed.problems).toEqual([]);
    expect(parsed.aws).toEqual({
      region: 'eu-west-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      rdsTagFilters: { env: 'prod*' },
    });
    expect(parseInstrumentationConfig({ aws_config: null }).aws).toBeUndefined();
    expect(
      parseInstrumentationConfig({ aws_config: { ...coroot, rds_tag_filters: {} } }).aws,
    ).not.toHaveProperty('rdsTagFilters');
  });

  it.each([
    [{ ...coroot, region: '' }, 'aws_config: region: region is not an AWS region name'],
    [{ ...coroot, access_key_id: undefined }, 'aws_config: access_key_id: access_key_id is missing'],
    [{ ...coroot, secret_access_key: '' }, 'aws_config: secret_access_key: secret_access_key is empty'],
    ['yes', 'aws_config: aws_config: Invalid input: expected object, received string'],
  ])(
    'drops %j, which would leave the SDK to find credentials on its own, and keeps the targets',
    (awsConfig, problem) => {
      const parsed = parseInstrumentationConfig({
        application_instrumentation: [{ type: 'redis', host: 'cache', port: 6379 }],
        aws_config: awsConfig,
      });
      expect(parsed.aws).toBeUndefined();
      expect(parsed.problems).toEqual([problem]);
      expect(parsed.targets).toHaveLength(1);
    },
  );

  it("keeps the last good answer's AWS configuration while the server cannot be asked", async () => {
    let t = 0;
    const answers: Array<() => Response> = [
      () => Response.json({ application_instrumentation: [], aws_config: coroot }),
      () => new Response('down', { status: 503 }),
      () => Response.json({ application_instrumentation: [], aws_config: null }),
    ];
    const source = serverTargets({
      collectorUrl: 'http://vigil.invalid',
      logger: silentLogger,
      refreshMs: 10,
      now: () => t,
      fetch: () => Promise.resolve(answers.shift()!()),
    });
    expect(source.awsConfig()).toBeUndefined();
    await source.current();
    expect(source.awsConfig()?.region).toBe('eu-west-1');
    t += 10;
    await source.current();
    expect(source.awsConfig()?.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    t += 10;
    await source.current();
    expect(source.awsConfig()).toBeUndefined();
  });
});
