/**
 * Incidents end to end on a real server: a rollout of the api that fails 30% of requests and its
 * rollback, forty minutes later, arrive as the agents would push them; the incident loop opens a
 * critical availability incident on the frontend and closes it after the rollback, stores it with
 * a root-cause analysis that blames the rollout, records both deployments, and a webhook
 * integration (a real HTTP receiver on 127.0.0.1) is told about the incident and the rollouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '@vigil/testkit/scenarios';
import { Receiver } from '../notifications/testing/receiver.ts';
import { waitForCache, writeShopHistory } from '../testing/scenario-history.ts';
import { makeTempDir } from '@vigil/testkit';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const STEP = 15_000;
const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface IncidentJson {
  id: string;
  appId: string;
  openedAtMs: number;
  resolvedAtMs: number | null;
  worstSeverity: string;
  timeline: Array<{ type: string }>;
  rca: { causes: Array<{ kind: string; applicationId: string; explanation: string }> } | null;
}

describe('incidents from SLO burn rates', () => {
  let vigil: TestServer;
  let receiver: Receiver;
  let end: number;
  let cleanup: (() => void) | undefined;

  const settings = {
    VIGIL_CACHE_STEP: '15s',
    VIGIL_CACHE_BACKFILL: '4h',
    VIGIL_CACHE_REFRESH: '2s',
    VIGIL_INCIDENT_QUIET_HISTORY: '6h',
  };

  beforeAll(async () => {
    receiver = await Receiver.start();
    // The history arrives all at once, after the fact; the incident loop judges a minute once, so
    // it must not run before the data is in: a first server stores and caches it (its loop would
    // run only after an hour), a second one on the same data directory evaluates it.
    const dir = makeTempDir('vigil-incidents-');
    cleanup = dir.cleanup;
    vigil = await startTestServer({ ...settings, VIGIL_INCIDENT_INTERVAL: '1h' }, dir.dir);
    const cookie = await vigil.login();
    const put = await fetch(`${vigil.api}/api/v1/projects/default/integrations/webhook`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        enabled: true,
        incidents: true,
        deployments: true,
        config: { url: `${receiver.url}/hook` },
      }),
    });
    expect(put.status, await put.text()).toBe(200);

    end = Math.floor(Date.now() / STEP) * STEP - STEP;
    await writeShopHistory(
      vigil,
      [
        {
          kind: 'deployment',
          app: SHOP.api,
          fromMs: end - 100 * MINUTE,
          untilMs: end - 60 * MINUTE,
          image: 'shop/api:2.8.0',
          errorRate: 0.3,
        },
        {
          kind: 'deployment',
          app: SHOP.api,
          fromMs: end - 60 * MINUTE,
          image: 'shop/api:2.7.1',
          errorRate: 0,
        },
      ],
      { fromMs: end - 200 * MINUTE, toMs: end, scrapeMs: STEP, seed: 5 },
    );
    await waitForCache(vigil, end);
    await vigil.stop();
    vigil = await startTestServer({ ...settings, VIGIL_INCIDENT_INTERVAL: '2s' }, dir.dir);
  }, 360_000);
  afterAll(async () => {
    await vigil?.stop();
    await receiver?.close();
    cleanup?.();
  });

  const incidents = async () =>
    (
      await vigil.getJson<{ incidents: IncidentJson[] }>(
        `/api/v1/incidents?from=${end - 240 * MINUTE}&to=${end + MINUTE}`,
      )
    ).body.incidents;

  it('opens a critical incident on the frontend and closes it after the rollback', async () => {
    let list: IncidentJson[] = [];
    for (let i = 0; i < 120; i++) {
      list = (await incidents()).filter((x) => x.appId === SHOP.frontend && x.resolvedAtMs !== null);
      if (list.length > 0) break;
      await sleep(1000);
    }
    expect(list).toHaveLength(1);
    const [incident] = list;
    expect(incident!.worstSeverity).toBe('critical');
    expect(incident!.openedAtMs).toBeGreaterThan(end - 100 * MINUTE);
    expect(incident!.openedAtMs).toBeLessThanOrEqual(end - 65 * MINUTE);
    expect(incident!.resolvedAtMs).toBeGreaterThan(end - 60 * MINUTE);
    expect(incident!.resolvedAtMs).toBeLessThanOrEqual(end - 40 * MINUTE);
  }, 180_000);

  it('stores the incident with its timeline and a root-cause analysis that blames the rollout', async () => {
    const [summary] = (await incidents()).filter((x) => x.appId === SHOP.frontend);
    const res = await vigil.getJson<IncidentJson>(`/api/v1/incidents/${summary!.id}`);
    expect(res.status).toBe(200);
    const types = res.body.timeline.map((e) => e.type);
    expect(types[0]).toBe('opened');
    expect(types[types.length - 1]).toBe('resolved');
    expect(types.slice(1, -1).every((t) => t === 'severity_changed')).toBe(true);
    expect(res.body.rca!.causes[0]).toMatchObject({ kind: 'deployment', applicationId: SHOP.api });
    expect(res.body.rca!.causes[0]!.explanation).toContain('shop/api:2.7.1 → shop/api:2.8.0');
    expect((await vigil.getJson(`/api/v1/incidents/0000000000000000`)).status).toBe(404);
  });

  it('answers root-cause analysis for a window the user selects', async () => {
    const res = await vigil.getJson<{
      causes: Array<{ kind: string; applicationId: string }>;
      focus: { focus: string };
    }>(
      `/api/v1/apps/${encodeURIComponent(SHOP.frontend)}/rca?from=${end - 100 * MINUTE}&to=${end - 60 * MINUTE}&symptom=errors`,
    );
    expect(res.status).toBe(200);
    expect(res.body.focus.focus).toBe(SHOP.api);
    expect(res.body.causes[0]).toMatchObject({ kind: 'deployment', applicationId: SHOP.api });
    const bad = await vigil.getJson<{ error: { message: string } }>(
      `/api/v1/apps/${encodeURIComponent(SHOP.frontend)}/rca?from=${end}&to=${end - MINUTE}&symptom=errors`,
    );
    expect(bad.status).toBe(400);
  });

  it('tells the webhook about the incident and both rollouts', async () => {
    for (let i = 0; i < 60; i++) {
      const kinds = receiver.requests.map((r) => (r.body as { kind: string }).kind);
      if (kinds.filter((k) => k === 'deployment').length >= 2 && kinds.includes('incident_resolved')) break;
      await sleep(500);
    }
    const events = receiver.requests.map(
      (r) => r.body as { kind: string; applicationId: string; incidentId?: string },
    );
    const frontend = events.filter((e) => e.applicationId === SHOP.frontend).map((e) => e.kind);
    expect(frontend).toEqual(['incident_opened', 'incident_resolved']);
    const ids = new Set(events.filter((e) => e.applicationId === SHOP.frontend).map((e) => e.incidentId));
    expect(ids.size).toBe(1);
    expect(events.filter((e) => e.kind === 'deployment').map((e) => e.applicationId)).toEqual([
      SHOP.api,
      SHOP.api,
    ]);
    expect(receiver.requests.every((r) => r.path === '/hook' && r.method === 'POST')).toBe(true);
  });
});
