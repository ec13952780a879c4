import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { ConfigDb, StoredDeployment, StoredIncident } from './config-db.ts';
import { expectError, testBackends, type TestLocation } from './test-backends.ts';

const postgresReady = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `start it with pg_ctlcluster 15 main start; tests connect to ${POSTGRES_URL}`,
);

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

/** An incident of `/k8s/shop/api` opened `openedMin` minutes after T0, resolved after `resolvedMin`. */
function incident(
  id: string,
  openedMin: number,
  resolvedMin: number | null,
  appId = '/k8s/shop/api',
): StoredIncident {
  return {
    id,
    appId,
    openedAtMs: T0 + openedMin * MIN,
    resolvedAtMs: resolvedMin === null ? null : T0 + resolvedMin * MIN,
    severity: 'warning',
    worstSeverity: 'critical',
    body: { timeline: [{ atMs: T0 + openedMin * MIN, type: 'opened', severity: 'warning', reasons: [] }] },
  };
}

function deployment(
  id: string,
  startedMin: number,
  finishedMin: number | null,
  appId = '/k8s/shop/api',
): StoredDeployment {
  return {
    id,
    appId,
    startedAtMs: T0 + startedMin * MIN,
    finishedAtMs: finishedMin === null ? null : T0 + finishedMin * MIN,
    state: finishedMin === null ? 'in_progress' : 'done',
    body: { image: 'shop/api:2', previousImage: 'shop/api:1' },
    notifiedAtMs: null,
  };
}

const range = (fromMin: number, toMin: number) => ({ fromMs: T0 + fromMin * MIN, toMs: T0 + toMin * MIN });

for (const backend of testBackends(postgresReady)) {
  describe.skipIf(!backend.enabled)(`config DB incidents and deployments (${backend.name})`, () => {
    let location: TestLocation;
    let db: ConfigDb;
    let nowMs: number;

    beforeEach(async () => {
      nowMs = T0;
      location = backend.create();
      db = await location.open(() => nowMs);
      await db.ensureProject('default', 'Default');
      await db.ensureProject('other', 'Other');
    });

    afterEach(async () => {
      await db.close();
      await location.cleanup();
    });

    describe('incidents', () => {
      it('stores an incident and reads it back with its JSON body, per project', async () => {
        const stored: StoredIncident = {
          ...incident('0123456789abcdef', 0, null),
          body: {
            timeline: [{ type: 'opened', factor: 14.4, note: 'café ☕', nested: [null, true, 0] }],
            rca: null,
          },
        };
        await db.upsertIncident('default', stored);
        expect(await db.getIncident('default', stored.id)).toEqual(stored);
        expect(await db.getIncident('other', stored.id)).toBeNull();
        expect(await db.getIncident('default', 'fedcba9876543210')).toBeNull();
      });

      it('replaces the whole incident on a second upsert with the same id', async () => {
        await db.upsertIncident('default', incident('a', 0, null));
        const resolved: StoredIncident = {
          ...incident('a', 0, 30),
          severity: 'critical',
          worstSeverity: 'critical',
          body: { timeline: ['opened', 'severity_changed', 'resolved'] },
        };
        await db.upsertIncident('default', resolved);
        expect(await db.getIncident('default', 'a')).toEqual(resolved);
        expect(await db.listIncidents('default', range(0, 60))).toEqual([resolved]);
      });

      it('keeps a 64-character id and an app id of 512 characters', async () => {
        const long = incident('f'.repeat(64), 0, null, `/k8s/${'a'.repeat(507)}`);
        await db.upsertIncident('default', long);
        expect(await db.getIncident('default', long.id)).toEqual(long);
      });

      it('lists the incidents that overlap the range, newest opened first', async () => {
        // Range [100, 200] minutes; each case says why it is in or out.
        const cases: Array<[StoredIncident, boolean]> = [
          [incident('resolved-before', 10, 50), false],
          [incident('resolved-just-before', 90, 99), false],
          [incident('still-open', 20, null), true],
          [incident('resolved-at-from', 80, 100), true],
          [incident('inside', 120, 150), true],
          [incident('spanning', 50, 300), true],
          [incident('opened-at-to', 200, null), true],
          [incident('opened-after', 201, null), false],
        ];
        for (const [i] of cases) await db.upsertIncident('default', i);
        await db.upsertIncident('other', incident('other-project', 120, null));

        const listed = await db.listIncidents('default', range(100, 200));
        expect(listed.map((i) => i.id)).toEqual([
          'opened-at-to',
          'inside',
          'resolved-at-from',
          'spanning',
          'still-open',
        ]);
        expect(new Set(listed.map((i) => i.id))).toEqual(
          new Set(cases.filter(([, included]) => included).map(([i]) => i.id)),
        );
        // Long after: only what is still open.
        const later = await db.listIncidents('default', range(1000, 1000));
        expect(later.map((i) => i.id)).toEqual(['opened-after', 'opened-at-to', 'still-open']);
        expect(later[2]).toEqual(cases[2]?.[0]);
      });

      it('filters by application and limits the list, breaking ties of opening time by id', async () => {
        await db.upsertIncident('default', incident('a1', 10, null, '/k8s/shop/api'));
        await db.upsertIncident('default', incident('b1', 20, null, '/k8s/shop/db'));
        await db.upsertIncident('default', incident('a2', 30, 40, '/k8s/shop/api'));
        await db.upsertIncident('default', incident('a3', 30, null, '/k8s/shop/api'));

        const api = await db.listIncidents('default', { ...range(0, 60), appId: '/k8s/shop/api' });
        expect(api.map((i) => i.id)).toEqual(['a3', 'a2', 'a1']);
        const firstTwo = await db.listIncidents('default', { ...range(0, 60), limit: 2 });
        expect(firstTwo.map((i) => i.id)).toEqual(['a3', 'a2']);
        expect(await db.listIncidents('default', { ...range(0, 60), appId: '/k8s/none' })).toEqual([]);
      });

      it('returns 200 incidents unless asked for more, and up to 1000', async () => {
        for (let n = 0; n < 201; n++) await db.upsertIncident('default', incident(`i${n}`, n, null));
        expect(await db.listIncidents('default', range(0, 500))).toHaveLength(200);
        expect(await db.listIncidents('default', { ...range(0, 500), limit: 1000 })).toHaveLength(201);
      });

      it('accepts a body of exactly 1 MiB as JSON and refuses one byte more', async () => {
        // JSON of a string is its characters plus two quotes.
        const max = 1024 * 1024 - 2;
        await db.upsertIncident('default', { ...incident('big', 0, null), body: 'x'.repeat(max) });
        expect((await db.getIncident('default', 'big'))?.body).toHaveLength(max);
        await expectError(
          db.upsertIncident('default', { ...incident('big', 0, null), body: 'x'.repeat(max + 1) }),
          'bad_request',
          'incident body must be at most 1 MiB as JSON',
        );
        // Bytes are counted, not characters: 'é' takes two.
        await expectError(
          db.upsertIncident('default', { ...incident('big', 0, null), body: 'é'.repeat(max / 2 + 1) }),
          'bad_request',
          'incident body must be at most 1 MiB as JSON',
        );
      });
    });

    describe('incident state', () => {
      it('is undefined before the first put, then round-trips and is replaced', async () => {
        expect(await db.getIncidentState('default', '/k8s/shop/api')).toBeUndefined();
        const state = { appId: '/k8s/shop/api', evaluatedThroughMs: T0, open: incident('a', 0, null) };
        await db.putIncidentState('default', '/k8s/shop/api', state);
        expect(await db.getIncidentState('default', '/k8s/shop/api')).toEqual(state);
        await db.putIncidentState('default', '/k8s/shop/api', { ...state, open: null });
        expect(await db.getIncidentState('default', '/k8s/shop/api')).toEqual({ ...state, open: null });
        expect(await db.getIncidentState('default', '/k8s/shop/db')).toBeUndefined();
        expect(await db.getIncidentState('other', '/k8s/shop/api')).toBeUndefined();
        // A stored JSON null is a state, not "never stored".
        await db.putIncidentState('other', '/k8s/shop/api', null);
        expect(await db.getIncidentState('other', '/k8s/shop/api')).toBeNull();
      });

      it('refuses a state over 64 KiB as JSON', async () => {
        await db.putIncidentState('default', 'app', 'x'.repeat(64 * 1024 - 2));
        await expectError(
          db.putIncidentState('default', 'app', 'x'.repeat(64 * 1024 - 1)),
          'bad_request',
          'incident state must be at most 64 KiB as JSON',
        );
      });
    });

    describe('deployments', () => {
      it('says whether an upsert created the deployment and replaces it on the next one', async () => {
        const started = deployment('/k8s/shop/api@1', 0, null);
        expect(await db.upsertDeployment('default', started)).toEqual({ created: true });
        const done: StoredDeployment = {
          ...deployment('/k8s/shop/api@1', 0, 5),
          body: { summary: { restarts: 0 } },
        };
        expect(await db.upsertDeployment('default', done)).toEqual({ created: false });
        expect(await db.listDeployments('default', range(0, 10))).toEqual([done]);
        // The same id in another project is another deployment.
        expect(await db.upsertDeployment('other', started)).toEqual({ created: true });
      });

      it('reports a new deployment as created exactly once when replicas store it at the same time', async () => {
        const d = deployment('/k8s/shop/api@2', 0, null);
        const results = await Promise.all(Array.from({ length: 8 }, () => db.upsertDeployment('default', d)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
      });

      it('keeps notified_at across upserts, moving it only forward', async () => {
        const d = deployment('/k8s/shop/api@3', 0, null);
        const notified = async (): Promise<number | null> =>
          (await db.listDeployments('default', range(0, 10)))[0]?.notifiedAtMs ?? null;
        await db.upsertDeployment('default', d);
        expect(await notified()).toBeNull();

        await db.markDeploymentNotified('default', d.id, T0 + 2 * MIN);
        expect(await notified()).toBe(T0 + 2 * MIN);
        await db.upsertDeployment('default', { ...deployment(d.id, 0, 5), notifiedAtMs: null });
        expect(await notified()).toBe(T0 + 2 * MIN);
        await db.upsertDeployment('default', { ...d, notifiedAtMs: T0 + MIN });
        expect(await notified()).toBe(T0 + 2 * MIN);
        await db.markDeploymentNotified('default', d.id, T0);
        expect(await notified()).toBe(T0 + 2 * MIN);
        await db.upsertDeployment('default', { ...d, notifiedAtMs: T0 + 3 * MIN });
        expect(await notified()).toBe(T0 + 3 * MIN);

        const fresh = { ...deployment('/k8s/shop/api@4', 1, null), notifiedAtMs: T0 + 4 * MIN };
        await db.upsertDeployment('default', fresh);
        expect((await db.listDeployments('default', range(0, 10)))[0]).toEqual(fresh);
      });

      it('lists the deployments that overlap the range, newest started first, by app and limited', async () => {
        await db.upsertDeployment('default', deployment('done-before', 10, 50));
        await db.upsertDeployment('default', deployment('in-progress', 20, null));
        await db.upsertDeployment('default', deployment('finished-at-from', 90, 100));
        await db.upsertDeployment('default', deployment('inside', 150, 160, '/k8s/shop/db'));
        await db.upsertDeployment('default', deployment('started-at-to', 200, null));
        await db.upsertDeployment('default', deployment('started-after', 201, null));
        await db.upsertDeployment('other', deployment('other-project', 150, null));

        const all = await db.listDeployments('default', range(100, 200));
        expect(all.map((d) => d.id)).toEqual(['started-at-to', 'inside', 'finished-at-from', 'in-progress']);
        const db1 = await db.listDeployments('default', { ...range(100, 200), appId: '/k8s/shop/db' });
        expect(db1.map((d) => d.id)).toEqual(['inside']);
        const first = await db.listDeployments('default', { ...range(100, 200), limit: 1 });
        expect(first.map((d) => d.id)).toEqual(['started-at-to']);
      });

      it('refuses a body over 256 KiB and marking a deployment that does not exist', async () => {
        await db.upsertDeployment('default', {
          ...deployment('d', 0, null),
          body: 'x'.repeat(256 * 1024 - 2),
        });
        await expectError(
          db.upsertDeployment('default', { ...deployment('d', 0, null), body: 'x'.repeat(256 * 1024 - 1) }),
          'bad_request',
          'deployment body must be at most 256 KiB as JSON',
        );
        await expectError(
          db.markDeploymentNotified('default', 'nope', T0),
          'not_found',
          'project "default" has no deployment "nope"',
        );
        await expectError(db.markDeploymentNotified('other', 'd', T0), 'not_found', /has no deployment/);
      });
    });

    it('keeps incidents, states and deployments across close and reopen', async () => {
      await db.upsertIncident('default', incident('a', 0, null));
      await db.putIncidentState('default', 'app', { evaluatedThroughMs: T0 });
      await db.upsertDeployment('default', deployment('d', 0, null));
      await db.close();
      db = await location.open(() => nowMs);
      expect(await db.getIncident('default', 'a')).toEqual(incident('a', 0, null));
      expect(await db.getIncidentState('default', 'app')).toEqual({ evaluatedThroughMs: T0 });
      expect(await db.upsertDeployment('default', deployment('d', 0, null))).toEqual({ created: false });
    });

    it('refuses writes for a project that does not exist and finds nothing in it', async () => {
      const missing = 'project "missing" does not exist';
      await expectError(db.upsertIncident('missing', incident('a', 0, null)), 'not_found', missing);
      await expectError(db.putIncidentState('missing', 'app', {}), 'not_found', missing);
      await expectError(db.upsertDeployment('missing', deployment('d', 0, null)), 'not_found', missing);
      expect(await db.getIncident('missing', 'a')).toBeNull();
      expect(await db.listIncidents('missing', range(0, 10))).toEqual([]);
      expect(await db.getIncidentState('missing', 'app')).toBeUndefined();
      expect(await db.listDeployments('missing', range(0, 10))).toEqual([]);
    });

    it('refuses bad input with a message naming the field', async () => {
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      const i = incident('a', 10, null);
      const d = deployment('d', 10, null);
      const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
        ['project id', () => db.upsertIncident('Bad Project', i), /project id/],
        [
          'empty incident id',
          () => db.upsertIncident('default', { ...i, id: '' }),
          /incident id must not be empty/,
        ],
        [
          'long incident id',
          () => db.upsertIncident('default', { ...i, id: 'f'.repeat(65) }),
          /incident id must be at most 64/,
        ],
        [
          'NUL in an id',
          () => db.upsertIncident('default', { ...i, id: 'a\u0000b' }),
          /incident id must not contain control/,
        ],
        [
          'long app id',
          () => db.upsertIncident('default', { ...i, appId: 'a'.repeat(513) }),
          /app id must be at most 512/,
        ],
        [
          'fractional time',
          () => db.upsertIncident('default', { ...i, openedAtMs: 1.5 }),
          /openedAtMs must be a whole number/,
        ],
        [
          'negative time',
          () => db.upsertIncident('default', { ...i, openedAtMs: -1 }),
          /openedAtMs must not be negative/,
        ],
        [
          'time as text',
          () => db.upsertIncident('default', { ...i, resolvedAtMs: '1' as never }),
          /resolvedAtMs must be a number/,
        ],
        [
          'resolved before opened',
          () => db.upsertIncident('default', { ...i, resolvedAtMs: T0 }),
          /resolvedAtMs must not be before openedAtMs/,
        ],
        [
          'severity',
          () => db.upsertIncident('default', { ...i, severity: 'page' as never }),
          /severity must be one of warning, critical/,
        ],
        [
          'worst below current',
          () => db.upsertIncident('default', { ...i, severity: 'critical', worstSeverity: 'warning' }),
          /worstSeverity must be at least as severe/,
        ],
        [
          'undefined body',
          () => db.upsertIncident('default', { ...i, body: undefined }),
          /incident body must be JSON-serialisable/,
        ],
        [
          'missing body',
          () => {
            const { body: _body, ...withoutBody } = d;
            return db.upsertDeployment('default', withoutBody as StoredDeployment);
          },
          /^deployment body must be JSON-serialisable$/,
        ],
        [
          'cyclic body',
          () => db.upsertIncident('default', { ...i, body: cycle }),
          /incident body must be JSON-serialisable/,
        ],
        [
          'BigInt state',
          () => db.putIncidentState('default', 'app', { n: 1n }),
          /incident state must be JSON-serialisable/,
        ],
        ['empty app id', () => db.getIncidentState('default', ''), /app id must not be empty/],
        ['not an incident', () => db.upsertIncident('default', null as never), /incident must be an object/],
        ['inverted range', () => db.listIncidents('default', range(10, 0)), /fromMs must not be after toMs/],
        [
          'limit 0',
          () => db.listIncidents('default', { ...range(0, 10), limit: 0 }),
          /limit must be at least 1/,
        ],
        [
          'limit 1001',
          () => db.listDeployments('default', { ...range(0, 10), limit: 1001 }),
          /limit must be at most 1000/,
        ],
        ['missing toMs', () => db.listIncidents('default', { fromMs: 0 } as never), /toMs must be a number/],
        [
          'long deployment id',
          () => db.upsertDeployment('default', { ...d, id: 'd'.repeat(513) }),
          /deployment id must be at most 512/,
        ],
        [
          'state',
          () => db.upsertDeployment('default', { ...d, state: 'failed' as never }),
          /deployment state must be one of in_progress, done/,
        ],
        [
          'done without finish',
          () => db.upsertDeployment('default', { ...d, state: 'done' }),
          /finishedAtMs must be set once the deployment is done/,
        ],
        [
          'in progress with finish',
          () => db.upsertDeployment('default', { ...d, finishedAtMs: T0 + 20 * MIN }),
          /finishedAtMs must be null while the deployment is in_progress/,
        ],
        [
          'finished before start',
          () => db.upsertDeployment('default', { ...d, state: 'done', finishedAtMs: T0 }),
          /finishedAtMs must not be before startedAtMs/,
        ],
        [
          'notified time',
          () => db.markDeploymentNotified('default', 'd', Number.NaN),
          /atMs must be a number/,
        ],
      ];
      for (const [name, call, message] of cases) {
        await expectError(call(), 'bad_request', message).catch((err: unknown) => {
          throw new Error(`case "${name}": ${String(err)}`);
        });
      }
      expect(await db.listIncidents('default', range(0, 1000))).toEqual([]);
      expect(await db.listDeployments('default', range(0, 1000))).toEqual([]);
    });
  });
}
