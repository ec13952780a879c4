/**
 * "Nothing probes instance metadata on its own": the SDK is pointed, through its own environment
 * variables, at a fake for both the service endpoints (AWS_ENDPOINT_URL) and the instance
 * metadata service (AWS_EC2_METADATA_SERVICE_ENDPOINT). With discovery off, nothing reaches it;
 * switched on with VIGIL_AWS_DISCOVERY=1, the same setup does reach it — so the silence is not
 * the fake failing to see traffic. This file changes process.env (one process per test file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsConfigFromEnv } from './aws-config.ts';
import { startAwsDiscovery } from './aws-discovery.ts';
import { startFakeAws, type FakeAws } from './testing/fake-aws.ts';
import { recordingLogger } from './testing/recording-logger.ts';

const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

describe('AWS discovery when nobody configured it', () => {
  let fake: FakeAws;
  const saved = { ...process.env };
  beforeAll(async () => {
    fake = await startFakeAws(KEYS);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: fake.url,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: fake.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await fake.close();
  });

  it('asks nothing of anyone, even with AWS credentials in the environment', async () => {
    const discovery = startAwsDiscovery({
      config: () => awsConfigFromEnv(process.env),
      logger: recordingLogger(),
      intervalMs: 20,
      lookupIpv4: () => Promise.reject(new Error('no lookups expected')),
    });
    await discovery.refresh();
    // Several timer ticks.
    await new Promise((r) => setTimeout(r, 150));
    await discovery.stop();
    expect(fake.requests).toEqual([]);
    expect(discovery.families()).toEqual([]);
    expect(discovery.status()).toEqual({ enabled: false });
  });

  it("uses the SDK's default credentials once VIGIL_AWS_DISCOVERY=1 asks for it", async () => {
    const env = { ...process.env, VIGIL_AWS_DISCOVERY: '1', VIGIL_AWS_REGION: 'eu-west-1' };
    const config = awsConfigFromEnv(env);
    expect(config).toEqual({ region: 'eu-west-1' });
    const discovery = startAwsDiscovery({
      config: () => config,
      logger: recordingLogger(),
      intervalMs: 3_600_000,
      lookupIpv4: () => Promise.resolve(undefined),
    });
    await discovery.refresh();
    await discovery.stop();
    // The environment's keys (the first link of the chain) signed the requests.
    expect(fake.requests.map((r) => r.action)).toContain('DescribeDBInstances');
    expect(fake.requests.every((r) => r.region === 'eu-west-1')).toBe(true);
    expect(discovery.status().error).toBeUndefined();
  });
});
