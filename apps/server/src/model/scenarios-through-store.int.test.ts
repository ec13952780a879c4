/**
 * The audit's scenarios (packages/audit/src/scenarios, the specification) through the real path:
 * each scenario's three hours of metrics are pushed by remote write into a server on embedded
 * ClickHouse, the metrics cache back-fills the model's queries with ClickHouse's PromQL, and the
 * API's verdicts must be the ones the kit reaches in memory from the same history: the status of
 * every check of every application, and the cause root-cause analysis ranks first.
 *
 * One server holds all seven: scenario k's window ends k × 4 h before the newest, so their
 * histories (3 h 10 min each) never overlap and every window sees only its own scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  movedEffects,
  movedSymptom,
  runScenario,
  scenarioHistory,
  SCENARIOS,
  WINDOW_MS,
  type ScenarioResult,
} from '@vigil/audit/scenarios';
import { SHOP } from '@vigil/testkit/scenarios';
import type { MetricSeries } from '@vigil/protocols';
import { remoteWrite } from '../testing/remote-write.ts';
import { waitForCache } from '../testing/scenario-history.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SLOT = 4 * HOUR;
const names = Object.keys(SCENARIOS);

interface AppPage {
  reportDetails: Array<{ name: string; status: string; checks: Array<{ id: string; status: string }> }>;
}
interface RcaAnswer {
  causes: Array<{ kind: string; applicationId: string; fromApplicationId?: string }>;
}

/** `{ "Report/check": status }` for every check of an application. */
function verdicts(reports: AppPage['reportDetails']): Record<string, string> {
  return Object.fromEntries(reports.flatMap((r) => r.checks.map((c) => [`${r.name}/${c.id}`, c.status])));
}

describe('the scenarios through remote write, the embedded store and the model API', () => {
  let vigil: TestServer;
  let newestEnd: number;
  const endOf = (name: string) => newestEnd - names.indexOf(name) * SLOT;

  beforeAll(async () => {
    vigil = await startTestServer({
      VIGIL_CACHE_STEP: '60s',
      VIGIL_CACHE_BACKFILL: `${(names.length * SLOT) / HOUR + 1}h`,
      VIGIL_CACHE_REFRESH: '2s',
    });
    newestEnd = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
    for (const name of names) {
      const end = endOf(name);
      const series: MetricSeries[] = scenarioHistory(movedEffects(SCENARIOS[name]!.effects, end), end).map(
        (s) => ({
          labels: Object.entries(s.labels)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([n, value]) => ({ name: n, value })),
          timestampsMs: s.timestampsMs,
          values: s.values,
        }),
      );
      for (let i = 0; i < series.length; i += 100) {
        const res = await remoteWrite(vigil, series.slice(i, i + 100));
        expect(res.status, await res.text()).toBe(204);
      }
    }
    await waitForCache(vigil, newestEnd);
  }, 600_000);
  afterAll(async () => {
    await vigil?.stop();
  });

  for (const name of names) {
    describe(name, () => {
      let expected: ScenarioResult;
      const end = () => endOf(name);
      beforeAll(async () => {
        expected = await runScenario(movedEffects(SCENARIOS[name]!.effects, end()), { endMs: end() });
      });

      it('gives every check of every application the status the kit gives it in memory', async () => {
        const firing: string[] = [];
        for (const id of Object.values(SHOP)) {
          const res = await vigil.getJson<AppPage>(
            `/api/v1/apps/${encodeURIComponent(id)}?from=${end() - WINDOW_MS}&to=${end()}`,
          );
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          const want = verdicts(expected.reports(id).map((r) => ({ ...r, checks: [...r.checks] })));
          expect(verdicts(res.body.reportDetails), id).toEqual(want);
          for (const [check, status] of Object.entries(want))
            if (status === 'warning' || status === 'critical') firing.push(`${id} ${check}`);
        }
        // The comparison has something to compare: the fault fires somewhere.
        expect(firing.length, 'checks firing').toBeGreaterThan(0);
      });

      const symptom = SCENARIOS[name]!.symptom;
      if (symptom) {
        it('ranks the same cause first in root-cause analysis', async () => {
          const moved = movedSymptom(symptom, end());
          const toMs = moved.toMs ?? end();
          const res = await vigil.getJson<RcaAnswer>(
            `/api/v1/apps/${encodeURIComponent(moved.app)}/rca?from=${moved.fromMs}&to=${toMs}&symptom=${moved.kind}`,
          );
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          const top = expected.rca(moved).causes[0]!;
          expect(res.body.causes[0]).toMatchObject({ kind: top.kind, applicationId: top.applicationId });
        });
      }
    });
  }
});
