/**
 * The AWS integration end to end on a real server: an Editor saves it, reading it back never
 * shows the secret, `/v1/config` hands it to the cluster agent in Coroot's `aws_config` shape,
 * and the cluster agent's own parser reads that answer into the configuration it discovers with.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseInstrumentationConfig } from '../../../cluster-agent/src/targets/instrumentation-config.ts';
import type { ConfigDb } from '../configdb/index.ts';
import { testBackends, type TestLocation } from '../configdb/test-backends.ts';
import { parseSecretKey, SecretBox } from '../secrets/index.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from '../testing/test-server.ts';
import { AwsSettings } from './aws-settings.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const INPUT = {
  region: 'eu-west-1',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: SECRET,
  rdsTagFilters: { env: 'prod*' },
};

describe('AWS integration on a running server', () => {
  let vigil: TestServer;
  let cookie: string;
  const call = async (method: string, body?: unknown, headers: Record<string, string> = { cookie }) => {
    const res = await fetch(`${vigil.api}/api/v1/integrations/aws`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };
  const agentConfig = async () => {
    const res = await fetch(`${vigil.api}/v1/config`, { headers: { 'x-api-key': TEST_API_KEY } });
    expect(res.status).toBe(200);
    return (await res.json()) as { aws_config: unknown; application_instrumentation: unknown[] };
  };

  beforeAll(async () => {
    vigil = await startTestServer();
    cookie = await vigil.login();
  });
  afterAll(() => vigil.stop());

  it('saves it for Editors, hides the secret, and gives it to the cluster agent', async () => {
    expect((await call('GET', undefined, {})).status).toBe(401);
    expect((await call('GET')).json).toEqual({
      configured: false,
      secretAccessKeySet: false,
      rdsTagFilters: {},
      elasticacheTagFilters: {},
    });
    expect((await agentConfig()).aws_config).toBeNull();

    const put = await call('PUT', INPUT);
    expect(put.status, put.text).toBe(200);
    const view = {
      configured: true,
      region: 'eu-west-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKeySet: true,
      rdsTagFilters: { env: 'prod*' },
      elasticacheTagFilters: {},
    };
    expect(put.json).toEqual(view);
    const got = await call('GET');
    expect(got.json).toEqual(view);
    expect(got.text).not.toContain(SECRET);

    const answer = await agentConfig();
    expect(answer.aws_config).toEqual({
      region: 'eu-west-1',
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: SECRET,
      rds_tag_filters: { env: 'prod*' },
      elasticache_tag_filters: null,
    });
    const parsed = parseInstrumentationConfig(answer);
    expect(parsed.problems).toEqual([]);
    expect(parsed.aws).toEqual({
      region: 'eu-west-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: SECRET,
      rdsTagFilters: { env: 'prod*' },
    });
  });

  it('keeps the saved secret when a change leaves it out, unless the key changes', async () => {
    expect((await call('PUT', INPUT)).status).toBe(200);
    const { secretAccessKey: _s, ...withoutSecret } = INPUT;
    const kept = await call('PUT', {
      ...withoutSecret,
      region: 'eu-central-1',
      elasticacheTagFilters: { team: 'shop' },
    });
    expect(kept.status, kept.text).toBe(200);
    expect((await agentConfig()).aws_config).toMatchObject({
      region: 'eu-central-1',
      secret_access_key: SECRET,
      elasticache_tag_filters: { team: 'shop' },
    });
    const otherKey = await call('PUT', { ...withoutSecret, accessKeyId: 'AKIAI44QH8DHBEXAMPLE' });
    expect(otherKey.status).toBe(400);
    expect(otherKey.json).toMatchObject({
      error: { message: expect.stringMatching(/secretAccessKey is required when accessKeyId changes/) },
    });
  });

  it.each([
    [{ ...INPUT, region: 'Ireland' }, /region must be an AWS region name, e\.g\. eu-west-1/],
    [{ ...INPUT, accessKeyId: 'my key' }, /accessKeyId must be an AWS access key ID/],
    [{ ...INPUT, rdsTagFilters: { env: 1 } }, /rdsTagFilters\.env: a tag value must be text/],
    [{ ...INPUT, secret_access_key: 'x' }, /unknown field secret_access_key/],
  ])('refuses %j with a 400 that says what is wrong', async (body, message) => {
    const res = await call('PUT', body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(message);
  });

  it('forgets it on DELETE: the agent gets aws_config null again', async () => {
    expect((await call('PUT', INPUT)).status).toBe(200);
    expect((await call('DELETE')).status).toBe(204);
    expect((await call('GET')).json).toMatchObject({ configured: false, secretAccessKeySet: false });
    const answer = await agentConfig();
    expect(answer.aws_config).toBeNull();
    expect(parseInstrumentationConfig(answer).aws).toBeUndefined();
  });
});

describe('AWS integration at rest (SQLite config DB)', () => {
  const [sqlite] = testBackends(false);
  const box = new SecretBox(parseSecretKey(randomBytes(32).toString('hex'), 'VIGIL_SECRET_KEY'));
  let location: TestLocation;
  let db: ConfigDb;
  beforeEach(async () => {
    location = sqlite!.create();
    db = await location.open(Date.now);
    await db.ensureProject('default', 'Default');
    await db.ensureProject('other', 'Other');
  });
  afterEach(async () => {
    await db.close();
    await location.cleanup();
  });

  it('stores the secret sealed and bound to its project', async () => {
    const settings = new AwsSettings(db, box);
    await settings.set('default', INPUT);
    const stored = (await db.getSetting('default', 'aws')) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect((await settings.forAgent('default'))?.secret_access_key).toBe(SECRET);
    // Copied into another project, it does not open.
    await db.setSetting('other', 'aws', stored);
    await expect(settings.forAgent('other')).rejects.toThrow(/failed authentication/);
  });
});
