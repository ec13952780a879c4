/**
 * The DNS and Runtimes reports on the shop (testkit scenarios): the api and the frontend resolve
 * names as they go, the batch job is a JVM. Quiet, everything is OK and says what it measured;
 * with failing lookups and long safepoints the checks fire with the figures, and an application
 * whose agent sends nothing says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, runScenario, type ScenarioResult } from '../scenarios/scenario-kit.ts';
import { dnsReport } from './dns.ts';
import { runtimesReport } from './runtimes.ts';
import { Thresholds } from './thresholds.ts';

describe('DNS and Runtimes reports', () => {
  let quiet: ScenarioResult;
  let faulty: ScenarioResult;
  beforeAll(async () => {
    const effects: Effect[] = [
      // 10% SERVFAIL, answered in 300 ms, on the api's lookups for the last half hour.
      {
        kind: 'dns_failures',
        app: SHOP.api,
        fromMs: minutesBefore(30),
        status: 'servfail',
        share: 0.1,
        latencySeconds: 0.3,
      },
      // The frontend asks for a name that does not exist: 1% of its lookups, for ten minutes.
      {
        kind: 'dns_failures',
        app: SHOP.frontend,
        fromMs: minutesBefore(20),
        untilMs: minutesBefore(10),
        status: 'nxdomain',
        share: 0.01,
        latencySeconds: 0.001,
      },
      { kind: 'runtime_pauses', app: SHOP.batch, fromMs: minutesBefore(40), secondsPerSecond: 0.2 },
    ];
    [quiet, faulty] = await Promise.all([runScenario([]), runScenario(effects)]);
  });

  it('finds nothing wrong when lookups are answered quickly and the JVM rarely stops', () => {
    const dns = quiet.report(SHOP.api, 'DNS');
    expect(dns.status).toBe('ok');
    expect(dns.checks.map((c) => [c.id, c.status, c.message])).toEqual([
      ['dns_latency', 'ok', expect.stringMatching(/^p95 at most \d+(\.\d+)? ms$/)],
      ['dns_errors', 'ok', 'no server errors'],
      ['dns_nxdomain', 'ok', 'no NXDOMAIN answers'],
    ]);
    const runtimes = quiet.report(SHOP.batch, 'Runtimes');
    expect(runtimes.status).toBe('ok');
    expect(runtimes.checks.map((c) => [c.id, c.status])).toEqual([['runtime_jvm_safepoints', 'ok']]);
  });

  it('leaves the reports out where they do not apply, and says so where data is missing', () => {
    const names = (id: string) => quiet.reports(id).map((r) => r.name);
    expect(names(SHOP.postgres)).not.toContain('DNS');
    expect(names(SHOP.api)).not.toContain('Runtimes');
    // Asked for anyway (as the audit does for a java/python/nodejs-typed app), it says why it is empty.
    const ctx = { world: quiet.world, app: quiet.app(SHOP.api), thresholds: new Thresholds() };
    expect(runtimesReport(ctx)).toMatchObject({
      status: 'unknown',
      noData: expect.stringMatching(/^No runtime metrics/),
    });
    const postgres = { ...ctx, app: quiet.app(SHOP.postgres) };
    expect(dnsReport(postgres)).toMatchObject({
      status: 'unknown',
      noData: expect.stringMatching(/^No DNS requests seen/),
    });
  });

  it('counts failed lookups, the NXDOMAIN answers, and the slow p95 they cause', () => {
    // 3 instances × 5 lookups/s × 1,800 s × 10% = 2,700 SERVFAIL answers (the rate window at the
    // edge of the fault makes it a little less).
    const errors = faulty.check(SHOP.api, 'dns_errors');
    expect(errors.status).toBe('warning');
    const failed = Number(/^(\d+) DNS requests failed/.exec(errors.message)?.[1]);
    expect(failed).toBeGreaterThan(2_500);
    expect(failed).toBeLessThanOrEqual(2_700);
    expect(faulty.check(SHOP.api, 'dns_latency')).toMatchObject({ status: 'warning' });
    expect(faulty.check(SHOP.api, 'dns_latency').message).toMatch(/^DNS p95 latency reached \d+ ms$/);
    expect(faulty.check(SHOP.api, 'dns_nxdomain').status).toBe('ok');
    // 2 instances × 2 lookups/s × 600 s × 1% = 24.
    const nx = faulty.check(SHOP.frontend, 'dns_nxdomain');
    expect(nx.status).toBe('warning');
    const answers = Number(/^(\d+) lookups of names that do not exist/.exec(nx.message)?.[1]);
    expect(answers).toBeGreaterThanOrEqual(22);
    expect(answers).toBeLessThanOrEqual(26);
    expect(faulty.check(SHOP.frontend, 'dns_errors').status).toBe('ok');
  });

  it('flags the JVM that spends a fifth of its time in safepoints', () => {
    const check = faulty.check(SHOP.batch, 'runtime_jvm_safepoints');
    expect(check.status).toBe('warning');
    expect(check.message).toMatch(/^20(\.\d)?% of the time in JVM safepoints \(stop-the-world\)$/);
    expect(faulty.firing(SHOP.batch)).toEqual({ runtime_jvm_safepoints: 'warning' });
  });
});
