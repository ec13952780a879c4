import { describe, expect, it } from 'vitest';
import { rdsCredentialsFromEnv } from './rds-credentials.ts';

describe('RDS credentials from the environment', () => {
  it('finds an instance by its full id, then its identifier, then the wildcard', () => {
    const lookup = rdsCredentialsFromEnv(
      JSON.stringify({
        'eu-west-1/shop-db': { username: 'shop', password: 'a' },
        'billing-mysql': { username: 'billing' },
        '*': { username: 'monitor', password: 'c' },
      }),
    );
    expect(lookup('eu-west-1/shop-db', 'postgres')).toEqual({ username: 'shop', password: 'a' });
    expect(lookup('us-east-1/billing-mysql', 'mysql')).toEqual({ username: 'billing' });
    expect(lookup('us-east-1/other', 'postgres')).toEqual({ username: 'monitor', password: 'c' });
  });

  it('gives nobody credentials when unset, and says what is wrong with a bad value', () => {
    expect(rdsCredentialsFromEnv(undefined)('eu-west-1/shop-db', 'postgres')).toBeUndefined();
    expect(() => rdsCredentialsFromEnv('{')).toThrow(/VIGIL_AWS_RDS_CREDENTIALS is not JSON/);
    expect(() => rdsCredentialsFromEnv('{"x": {"password": "p"}}')).toThrow(
      /VIGIL_AWS_RDS_CREDENTIALS: x\.username: .*expected \{/,
    );
  });
});
