import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFolded, type DecodedProfile } from '@vigil/protocols';
import type { FlameGraphNode } from '@vigil/spec';
import { ProfileStore } from './profile-store.ts';
import { profileChunk } from './profile-store-rows.ts';
import { runMigrations } from './migrations.ts';
import { PROFILE_SAMPLES_TABLE, PROFILE_STACKS_TABLE } from './schema/profiles.ts';
import { sql } from './sql.ts';
import { nsAt, openTestDatabase, type TestDatabase } from './testing/test-database.ts';

const NOW = Date.now();
const MIN = 60_000;

let t: TestDatabase;
let store: ProfileStore;
beforeAll(async () => {
  t = await openTestDatabase();
  store = new ProfileStore(t.db, { maxFlameGraphStacks: 3 });
});
afterAll(async () => {
  await t?.cleanup();
});

function child(node: FlameGraphNode | undefined, name: string): FlameGraphNode | undefined {
  return node?.children.find((c) => c.name === name);
}

async function write(service: string, profile: DecodedProfile, atMs: number, labels = {}) {
  const chunk = profileChunk(profile, {
    service,
    labels,
    startUnixNano: nsAt(atMs),
    endUnixNano: nsAt(atMs + MIN),
  });
  const outcome = await store.insertChunks([chunk]);
  expect(outcome.kind).toBe('ok');
}

describe('ProfileStore', () => {
  it('stores each stack once however many profiles use it', async () => {
    const p = parseFolded('main;once;leaf 3\n', 'cpu:samples');
    const count = async (final: boolean) => {
      const table = t.db.table(PROFILE_STACKS_TABLE);
      const rows = await t.db.query<{ n: number | string }>(
        final
          ? sql`SELECT count() AS n FROM ${table} FINAL WHERE has(Frames, 'once')`
          : sql`SELECT count() AS n FROM ${table} WHERE has(Frames, 'once')`,
      );
      return Number(rows[0]?.n);
    };
    await write('dedup', p, NOW - 5 * MIN);
    await write('dedup', p, NOW - 4 * MIN);
    expect(await count(false)).toBe(1);
    // Another process (a second store) writes the stack again; the table collapses the copies.
    const other = new ProfileStore(t.db);
    const chunk = profileChunk(p, {
      service: 'dedup',
      labels: {},
      startUnixNano: nsAt(NOW),
      endUnixNano: nsAt(NOW),
    });
    expect((await other.insertChunks([chunk])).kind).toBe('ok');
    expect(await count(false)).toBe(2);
    expect(await count(true)).toBe(1);
  });

  it('lists the profile types of a service within the window', async () => {
    const two: DecodedProfile = {
      types: ['samples:count', 'cpu:nanoseconds'],
      stacks: [{ frames: ['main'], values: [2, 20_000_000], labels: {} }],
      timeNanos: 0n,
      durationNanos: 0n,
    };
    await write('typed', two, NOW - 10 * MIN);
    await write('typed', parseFolded('main 1\n', 'alloc_objects:count'), NOW - 3 * 3_600_000);
    expect(await store.types('typed', NOW - 3_600_000, NOW)).toEqual(['cpu:nanoseconds', 'samples:count']);
    expect(await store.types('typed', NOW - 4 * 3_600_000, NOW)).toEqual([
      'alloc_objects:count',
      'cpu:nanoseconds',
      'samples:count',
    ]);
    expect(await store.types('nobody', NOW - 3_600_000, NOW)).toEqual([]);
  });

  it('builds the flame graph of a window from the summed stacks', async () => {
    await write(
      'fg',
      parseFolded('main;work;hash 70\nmain;work 10\nmain;idle 5\n', 'cpu:samples'),
      NOW - 20 * MIN,
    );
    await write('fg', parseFolded('main;work;hash 30\n', 'cpu:samples'), NOW - 15 * MIN);
    await write('fg', parseFolded('main;outside 999\n', 'cpu:samples'), NOW - 90 * MIN);
    const { flamegraph, truncated } = await store.flameGraph({
      service: 'fg',
      type: 'cpu:samples',
      fromMs: NOW - 60 * MIN,
      toMs: NOW,
    });
    expect(truncated).toBe(false);
    expect(flamegraph.total).toBe(115);
    const work = child(child(flamegraph, 'main'), 'work');
    expect(work).toMatchObject({ total: 110, self: 10 });
    expect(child(work, 'hash')).toMatchObject({ total: 100, self: 100 });
    expect(child(child(flamegraph, 'main'), 'outside')).toBeUndefined();
  });

  it('keeps the value of stacks beyond the limit in the root and says so', async () => {
    await write('many', parseFolded('a 40\nb 30\nc 20\nd 6\ne 4\n', 'cpu:samples'), NOW - 5 * MIN);
    const { flamegraph, truncated } = await store.flameGraph({
      service: 'many',
      type: 'cpu:samples',
      fromMs: NOW - 60 * MIN,
      toMs: NOW,
    });
    expect(truncated).toBe(true);
    expect(flamegraph.total).toBe(100);
    expect(flamegraph.self).toBe(10);
    expect(flamegraph.children.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('diffs a window against a base window', async () => {
    await write('diff', parseFolded('main;fast 10\nmain;slow 10\n', 'cpu:samples'), NOW - 50 * MIN);
    await write(
      'diff',
      parseFolded('main;fast 10\nmain;slow 40\nmain;new 5\n', 'cpu:samples'),
      NOW - 10 * MIN,
    );
    const { flamegraph } = await store.diffFlameGraph({
      service: 'diff',
      type: 'cpu:samples',
      fromMs: NOW - 30 * MIN,
      toMs: NOW,
      baseFromMs: NOW - 60 * MIN,
      baseToMs: NOW - 30 * MIN,
    });
    expect(flamegraph).toMatchObject({ total: 55, baseTotal: 20 });
    const main = flamegraph.children.find((c) => c.name === 'main');
    const byName = new Map(main?.children.map((c) => [c.name, c]));
    expect(byName.get('slow')).toMatchObject({ total: 40, self: 40, baseTotal: 10, baseSelf: 10 });
    expect(byName.get('fast')).toMatchObject({ total: 10, baseTotal: 10 });
    expect(byName.get('new')).toMatchObject({ total: 5, baseTotal: 0 });
  });

  it('follows a changed profile retention without a new migration', async () => {
    const ttl = async (table: string) => {
      const rows = await t.db.query<{ q: string }>(
        sql`SELECT create_table_query AS q FROM system.tables WHERE database = ${t.db.database} AND name = ${table}`,
      );
      return rows[0]?.q ?? '';
    };
    expect(await ttl(PROFILE_SAMPLES_TABLE)).toMatch(/toIntervalDay\(_CAST\(7, 'UInt32'\)\)/);
    expect(await runMigrations(t.db, { profilesTtlDays: 3 })).toEqual([]);
    expect(await ttl(PROFILE_SAMPLES_TABLE)).toMatch(/toIntervalDay\(_CAST\(3, 'UInt32'\)\)/);
    expect(await ttl(PROFILE_STACKS_TABLE)).toMatch(
      /LastSeen \+ 86400\) \+ toIntervalDay\(_CAST\(3, 'UInt32'\)\)|LastSeen \+ 86400 \+ toIntervalDay\(_CAST\(3, 'UInt32'\)\)/,
    );
  });
});
