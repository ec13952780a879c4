import { describe, expect, it } from 'vitest';
import { awsConfigFromEnv, awsConfigKey, parseTagFilters, tagsMatch } from './aws-config.ts';

describe('AWS discovery settings from the environment', () => {
  it('is off unless VIGIL_AWS_DISCOVERY turns it on', () => {
    expect(awsConfigFromEnv({})).toBeUndefined();
    // The SDK's own variables alone do not switch anything on.
    expect(awsConfigFromEnv({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIA…' })).toBeUndefined();
    expect(awsConfigFromEnv({ VIGIL_AWS_DISCOVERY: '0', VIGIL_AWS_REGION: 'eu-west-1' })).toBeUndefined();
  });

  it.each([
    [{ VIGIL_AWS_DISCOVERY: '1', VIGIL_AWS_REGION: 'eu-west-1' }, { region: 'eu-west-1' }],
    [{ VIGIL_AWS_DISCOVERY: 'true', AWS_REGION: 'us-gov-west-1' }, { region: 'us-gov-west-1' }],
    [
      {
        VIGIL_AWS_DISCOVERY: '1',
        VIGIL_AWS_REGION: 'ap-southeast-2',
        VIGIL_AWS_RDS_TAGS: 'env=prod, team = shop',
        VIGIL_AWS_ELASTICACHE_TAGS: 'env=prod*',
      },
      {
        region: 'ap-southeast-2',
        rdsTagFilters: { env: 'prod', team: 'shop' },
        elasticacheTagFilters: { env: 'prod*' },
      },
    ],
  ])('reads %j', (env, expected) => {
    expect(awsConfigFromEnv(env)).toEqual(expected);
  });

  it.each([
    [{ VIGIL_AWS_REGION: 'eu-west-1' }, /VIGIL_AWS_REGION set but VIGIL_AWS_DISCOVERY is not/],
    [{ VIGIL_AWS_DISCOVERY: 'yes' }, /VIGIL_AWS_DISCOVERY must be 1 or 0, not "yes"/],
    [{ VIGIL_AWS_DISCOVERY: '1' }, /needs VIGIL_AWS_REGION/],
    [{ VIGIL_AWS_DISCOVERY: '1', VIGIL_AWS_REGION: 'Ireland' }, /"Ireland" is not an AWS region name/],
    [
      { VIGIL_AWS_DISCOVERY: '1', VIGIL_AWS_REGION: 'eu-west-1', VIGIL_AWS_RDS_TAGS: 'prod' },
      /"prod" is not key=value/,
    ],
    [
      { VIGIL_AWS_DISCOVERY: '1', VIGIL_AWS_REGION: 'eu-west-1', VIGIL_AWS_ELASTICACHE_TAGS: 'a=1,a=2' },
      /VIGIL_AWS_ELASTICACHE_TAGS: tag "a" is given twice/,
    ],
  ])('refuses %j, saying why', (env, message) => {
    expect(() => awsConfigFromEnv(env)).toThrow(message);
  });
});

describe('tag filters', () => {
  const tags = new Map([
    ['env', 'prod-eu'],
    ['team', 'shop'],
  ]);
  it.each([
    [{ env: 'prod-eu' }, true],
    [{ env: 'prod*' }, true],
    [{ env: 'prod-e?' }, true],
    [{ env: 'prod' }, false],
    [{ env: 'prod*', team: 'billing' }, false],
    // A missing tag is the empty value.
    [{ owner: '*' }, true],
    [{ owner: '?*' }, false],
    // Regular-expression characters are literal.
    [{ env: 'prod.eu' }, false],
  ])('%j on env=prod-eu,team=shop: %s', (filters, expected) => {
    expect(tagsMatch(filters, tags)).toBe(expected);
  });

  it('parses "k=v,k2=v2" and keeps "=" inside values', () => {
    expect(parseTagFilters('a=b=c, d=', 'X')).toEqual({ a: 'b=c', d: '' });
    expect(parseTagFilters('  ', 'X')).toBeUndefined();
  });
});

describe('configuration identity', () => {
  it('changes with the keys and filters, not with the order of the filters', () => {
    const base = { region: 'eu-west-1', accessKeyId: 'A', secretAccessKey: 'S' };
    expect(awsConfigKey({ ...base, rdsTagFilters: { a: '1', b: '2' } })).toBe(
      awsConfigKey({ ...base, rdsTagFilters: { b: '2', a: '1' } }),
    );
    expect(awsConfigKey({ ...base, secretAccessKey: 'S2' })).not.toBe(awsConfigKey(base));
  });
});
