/**
 * Profiles end to end through the real server and embedded ClickHouse (chDB): Coroot's
 * `/v1/profiles`, Pyroscope's `/ingest` (folded and pprof), the types and flame-graph API, a real
 * CPU profile of a Node.js process (`node --cpu-prof`) converted to pprof, and Pyroscope's own
 * Node.js client (`@pyroscope/nodejs`) profiling a child process and uploading to `/ingest`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePprof, formatFolded } from '@vigil/protocols';
import type { DiffFlameGraphResponse, FlameGraphNode, FlameGraphResponse } from '@vigil/spec';
import { cpuProfileToPprof, makeTempDir } from '@vigil/testkit';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

const run = promisify(execFile);
const MIN = 60_000;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

async function post(
  pathAndQuery: string,
  body: Uint8Array | string | FormData,
  headers: Record<string, string> = { 'X-API-Key': TEST_API_KEY },
) {
  const res = await fetch(`${t.api}${pathAndQuery}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text };
}

async function flameGraph(query: string): Promise<FlameGraphResponse> {
  await t.server.forceFlush();
  const res = await t.getJson<FlameGraphResponse>(`/api/v1/profiles/flamegraph?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function types(service: string): Promise<string[]> {
  await t.server.forceFlush();
  const res = await t.getJson<{ types: string[] }>(
    `/api/v1/profiles/types?service=${encodeURIComponent(service)}`,
  );
  expect(res.status).toBe(200);
  return res.body.types;
}

/** Writes a script that burns CPU: `hot` for 150 ms, then `light` for 15 ms, ten times. */
function burnScript(hot: string, light: string): string {
  return [
    `function ${hot}(ms) {`,
    '  const end = Date.now() + ms; let x = 0;',
    '  while (Date.now() < end) for (let i = 0; i < 20000; i++) x += Math.sqrt(i) * Math.sin(i);',
    '  return x;',
    '}',
    `function ${light}(ms) {`,
    '  const end = Date.now() + ms; let x = 0;',
    '  while (Date.now() < end) for (let i = 0; i < 20000; i++) x += Math.sqrt(i);',
    '  return x;',
    '}',
    'let total = 0;',
    `for (let round = 0; round < 10; round++) { total += ${hot}(150); total += ${light}(15); }`,
    'if (Number.isNaN(total)) process.exitCode = 1;',
    '',
  ].join('\n');
}

/**
 * Self value summed over the frames of function `fn`: `fn file:line` as Vigil names pprof frames,
 * or `./file.mjs:fn:line` as Pyroscope's Node.js client names its functions.
 */
function selfOf(self: Map<string, number>, fn: string): number {
  const frame = new RegExp(`(^|:)${fn}(:\\d+)?( |$)`);
  let sum = 0;
  for (const [name, v] of self) if (frame.test(name)) sum += v;
  return sum;
}

/** Self value per frame name over the whole tree. */
function selfByFunction(root: FlameGraphNode): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (n: FlameGraphNode) => {
    out.set(n.name, (out.get(n.name) ?? 0) + n.self);
    n.children.forEach(walk);
  };
  root.children.forEach(walk);
  return out;
}

/** The tree back as folded stacks: one line per node with self value. */
function toFolded(root: FlameGraphNode): string {
  const stacks: Array<{ frames: string[]; value: number }> = [];
  const walk = (n: FlameGraphNode, frames: string[]) => {
    const here = [...frames, n.name];
    if (n.self > 0) stacks.push({ frames: here, value: n.self });
    n.children.forEach((c) => walk(c, here));
  };
  root.children.forEach((c) => walk(c, []));
  return formatFolded(stacks.sort((a, b) => a.frames.join(';').localeCompare(b.frames.join(';'))));
}

const q = (params: Record<string, string | number>) =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

describe('POST /v1/profiles (Coroot-compatible)', () => {
  it('stores a gzip pprof whose one function dominates, and the flame graph shows it dominating', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const fn = (functionName: string, line: number) => ({
      functionName,
      fileName: '/src/shop/main.go',
      line,
    });
    const body = encodePprof({
      sampleTypes: [{ type: 'ebpf:cpu:nanoseconds', unit: 'nanoseconds' }],
      timeNanos: now - 60_000_000_000n,
      durationNanos: 60_000_000_000n,
      samples: [
        {
          stack: [fn('main.main', 10), fn('main.serve', 20), fn('main.computeChecksum', 30)],
          values: [900_000_000],
        },
        {
          stack: [fn('main.main', 10), fn('main.serve', 20), fn('main.writeResponse', 40)],
          values: [60_000_000],
        },
        { stack: [fn('main.main', 10), fn('runtime.gcBgMarkWorker', 50)], values: [40_000_000] },
      ],
    });
    const res = await post(
      `/v1/profiles?${q({ 'service.name': 'shop', 'container.id': '/docker/abc', 'host.name': 'node-1' })}`,
      body,
      { 'X-API-Key': TEST_API_KEY, 'Content-Type': 'application/octet-stream' },
    );
    expect(res.status, res.text).toBe(200);
    expect(await types('shop')).toEqual(['ebpf:cpu:nanoseconds']);
    const fg = await flameGraph(q({ service: 'shop', type: 'ebpf:cpu:nanoseconds' }));
    expect(fg.flamegraph.total).toBe(1_000_000_000);
    const self = selfByFunction(fg.flamegraph);
    const [top] = [...self.entries()].sort((a, b) => b[1] - a[1]);
    expect(top).toEqual(['main.computeChecksum /src/shop/main.go:30', 900_000_000]);
    const serve = fg.flamegraph.children[0]?.children[0];
    expect(serve).toMatchObject({ name: 'main.serve /src/shop/main.go:20', total: 960_000_000, self: 0 });
  });

  it('stores every sample type of a profile', async () => {
    const body = encodePprof({
      sampleTypes: [
        { type: 'samples', unit: 'count' },
        { type: 'cpu', unit: 'nanoseconds' },
      ],
      samples: [{ stack: ['main', 'work'], values: [3, 30_000_000] }],
    });
    expect((await post(`/v1/profiles?service.name=multi`, body)).status).toBe(200);
    expect(await types('multi')).toEqual(['cpu:nanoseconds', 'samples:count']);
    const fg = await flameGraph(q({ service: 'multi', type: 'samples:count' }));
    expect(fg.flamegraph.total).toBe(3);
  });

  it('answers 401 without an ingestion key and with an unknown one, like the OTLP endpoints', async () => {
    const body = encodePprof({ sampleTypes: [{ type: 'cpu', unit: 'nanoseconds' }], samples: [] });
    const missing = await post('/v1/profiles?service.name=x', body, {});
    expect(missing.status).toBe(401);
    expect(missing.text).toContain('X-API-Key');
    expect((await post('/v1/profiles?service.name=x', body, { 'X-API-Key': 'wrong' })).status).toBe(401);
    expect((await post('/ingest?name=x.cpu', 'a;b 1\n', {})).status).toBe(401);
  });

  const bad: Array<[string, string, Uint8Array | string, RegExp]> = [
    ['text instead of pprof', '/v1/profiles?service.name=x', 'this is not a profile', /malformed pprof/],
    [
      'broken gzip',
      '/v1/profiles?service.name=x',
      Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]),
      /not valid gzip data/,
    ],
    ['an empty body', '/v1/profiles?service.name=x', '', /empty pprof body/],
    [
      'no service.name',
      '/v1/profiles?host.name=h',
      encodePprof({ sampleTypes: [{ type: 'cpu', unit: 'nanoseconds' }], samples: [] }),
      /missing query parameter "service.name"/,
    ],
  ];
  for (const [what, url, body, message] of bad) {
    it(`answers 400 with a message for ${what}`, async () => {
      const res = await post(url, body);
      expect(res.status).toBe(400);
      const parsed = JSON.parse(res.text) as { error: { code: string; message: string } };
      expect(parsed.error.code).toBe('bad_request');
      expect(parsed.error.message).toMatch(message);
    });
  }
});

describe('POST /ingest (Pyroscope)', () => {
  it('round-trips folded stacks through the flame graph', async () => {
    const folded = 'main;handler;json.Marshal 70\nmain;handler;sql.Query 20\nmain;handler 5\nmain;gc 5\n';
    const fromS = Math.floor((Date.now() - 5 * MIN) / 1000);
    const res = await post(
      `/ingest?${q({ name: 'pyro.app.cpu{env=test,region=eu}', from: fromS, until: fromS + 10, format: 'folded', sampleRate: 100, spyName: 'gospy', units: 'samples', aggregationType: 'sum' })}`,
      folded,
      { 'X-API-Key': TEST_API_KEY, 'Content-Type': 'text/plain' },
    );
    expect(res.status, res.text).toBe(200);
    expect(await types('pyro.app')).toEqual(['cpu:samples']);
    const fg = await flameGraph(q({ service: 'pyro.app', type: 'cpu:samples' }));
    const sorted = folded.trim().split('\n').sort().join('\n') + '\n';
    expect(toFolded(fg.flamegraph)).toBe(sorted);
  });

  it('takes pprof as the "profile" field of a form, as Pyroscope SDKs send it', async () => {
    const body = encodePprof({
      sampleTypes: [{ type: 'cpu', unit: 'nanoseconds' }],
      samples: [
        { stack: ['main', { functionName: 'app.Encode', fileName: 'enc.go', line: 7 }], values: [500] },
        { stack: ['main', 'app.Idle'], values: [20] },
      ],
    });
    const form = new FormData();
    form.append('profile', new Blob([body]), 'profile.pprof');
    form.append('sample_type_config', JSON.stringify({ cpu: { units: 'nanoseconds' } }));
    const fromS = Math.floor(Date.now() / 1000) - 20;
    const res = await post(
      `/ingest?${q({ name: 'pyro.form{}', from: fromS, until: fromS + 10, format: 'pprof' })}`,
      form,
    );
    expect(res.status, res.text).toBe(200);
    const fg = await flameGraph(q({ service: 'pyro.form', type: 'cpu:nanoseconds' }));
    expect(fg.flamegraph.children[0]?.children.map((c) => [c.name, c.total])).toEqual([
      ['app.Encode enc.go:7', 500],
      ['app.Idle', 20],
    ]);
  });

  it('diffs a window against a base window with the right numbers on both sides', async () => {
    const at = (msAgo: number) => Math.floor((Date.now() - msAgo) / 1000);
    const send = async (folded: string, msAgo: number) => {
      const from = at(msAgo);
      const res = await post(`/ingest?${q({ name: 'diffy.cpu', from, until: from + 10 })}`, folded);
      expect(res.status, res.text).toBe(200);
    };
    await send('main;parse 10\nmain;render 10\n', 50 * MIN);
    await send('main;parse 10\nmain;render 40\nmain;cache 5\n', 10 * MIN);
    const now = Date.now();
    const fg = (await flameGraph(
      q({
        service: 'diffy',
        type: 'cpu:samples',
        from: now - 30 * MIN,
        to: now,
        baseFrom: now - 60 * MIN,
        baseTo: now - 30 * MIN,
      }),
    )) as unknown as DiffFlameGraphResponse;
    expect(fg.baseFromMs).toBe(now - 60 * MIN);
    expect(fg.flamegraph).toMatchObject({ name: 'total', total: 55, baseTotal: 20 });
    const main = fg.flamegraph.children[0];
    expect(main).toMatchObject({ name: 'main', total: 55, baseTotal: 20 });
    const byName = new Map(main?.children.map((c) => [c.name, c]));
    expect(byName.get('render')).toMatchObject({ total: 40, self: 40, baseTotal: 10, baseSelf: 10 });
    expect(byName.get('parse')).toMatchObject({ total: 10, baseTotal: 10 });
    expect(byName.get('cache')).toMatchObject({ total: 5, baseTotal: 0 });
  });

  const bad: Array<[string, string, string, RegExp]> = [
    [
      'a folded line without a count',
      'name=bad.cpu',
      'main;ok 1\nmain;broken\n',
      /folded line 2 has no count/,
    ],
    ['an unsupported format', 'name=bad.cpu&format=jfr', 'x', /unsupported format "jfr"/],
    ['a missing name', 'format=folded', 'a 1\n', /missing parameter "name"/],
    ['pprof that is not pprof', 'name=bad.cpu&format=pprof', 'not pprof at all', /malformed pprof/],
    ['labels without a closing brace', 'name=bad.cpu{env=x', 'a 1\n', /labels must end with "}"/],
  ];
  for (const [what, query, body, message] of bad) {
    it(`answers 400 with a message for ${what}`, async () => {
      const res = await post(`/ingest?${query}`, body);
      expect(res.status).toBe(400);
      expect((JSON.parse(res.text) as { error: { message: string } }).error.message).toMatch(message);
    });
  }
});

describe('GET /api/v1/profiles/flamegraph', () => {
  it('refuses a query without a type, and a base window given by half', async () => {
    const noType = await t.getJson<{ error: { message: string } }>(
      '/api/v1/profiles/flamegraph?service=shop',
    );
    expect(noType.status).toBe(400);
    expect(noType.body.error.message).toMatch(/type/);
    const half = await t.getJson<{ error: { message: string } }>(
      '/api/v1/profiles/flamegraph?service=shop&type=cpu:samples&baseFrom=1',
    );
    expect(half.status).toBe(400);
    expect(half.body.error.message).toMatch(/baseFrom and baseTo go together/);
  });

  it('needs a reader: no session, no flame graph', async () => {
    const res = await fetch(`${t.api}/api/v1/profiles/types?service=shop`);
    expect(res.status).toBe(401);
  });
});

describe('a real CPU profile (node --cpu-prof)', () => {
  it('shows the function that burns the CPU dominating the flame graph', async () => {
    const tmp = makeTempDir('vigil-cpuprof-');
    try {
      const script = path.join(tmp.dir, 'burn.cjs');
      writeFileSync(script, burnScript('burnCpuInHotLoop', 'lightBookkeeping'));
      const startUnixNano = BigInt(Date.now()) * 1_000_000n;
      await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${tmp.dir}`, script], { cwd: tmp.dir });
      const file = readdirSync(tmp.dir).find((f) => f.endsWith('.cpuprofile'));
      expect(file).toBeDefined();
      const cpuProfile: unknown = JSON.parse(readFileSync(path.join(tmp.dir, file as string), 'utf8'));
      const res = await post(
        '/v1/profiles?service.name=node-burner&host.name=test',
        cpuProfileToPprof(cpuProfile, startUnixNano),
      );
      expect(res.status, res.text).toBe(200);

      const fg = await flameGraph(q({ service: 'node-burner', type: 'cpu:nanoseconds' }));
      const self = selfByFunction(fg.flamegraph);
      const [top] = [...self.entries()].sort((a, b) => b[1] - a[1]);
      const burn = selfOf(self, 'burnCpuInHotLoop');
      const light = selfOf(self, 'lightBookkeeping');
      process.stdout.write(
        `[profiles] node --cpu-prof: total ${(fg.flamegraph.total / 1e6).toFixed(0)} ms CPU, burnCpuInHotLoop self ${(burn / 1e6).toFixed(0)} ms (${((100 * burn) / fg.flamegraph.total).toFixed(1)}%), lightBookkeeping ${(light / 1e6).toFixed(0)} ms\n`,
      );
      expect(top?.[0]).toMatch(/^burnCpuInHotLoop file:\/\/.*burn\.cjs:1$/);
      expect(burn / fg.flamegraph.total).toBeGreaterThan(0.5);
      expect(light).toBeGreaterThan(0);
      expect(burn).toBeGreaterThan(4 * light);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("Pyroscope's Node.js client (@pyroscope/nodejs)", () => {
  it('uploads a profile of a child process to /ingest, and the hot function dominates its flame graph', async () => {
    const tmp = makeTempDir('vigil-pyroscope-');
    try {
      const script = path.join(tmp.dir, 'profiled.mjs');
      const client = pathToFileURL(createRequire(import.meta.url).resolve('@pyroscope/nodejs')).href;
      writeFileSync(
        script,
        [
          `import { init, start, stop } from ${JSON.stringify(client)};`,
          'init({',
          `  serverAddress: ${JSON.stringify(t.api)}, appName: 'pyro-node', authToken: ${JSON.stringify(TEST_API_KEY)},`,
          "  tags: { env: 'test' }, flushIntervalMs: 600000,",
          '  wall: { collectCpuTime: true, samplingDurationMs: 600000 },',
          '});',
          'start();',
          burnScript('burnCpuForPyroscope', 'lightPyroscopeTask'),
          // The client uploads the profile it holds when profiling stops.
          'await stop();',
          '',
        ].join('\n'),
      );
      await run(process.execPath, [script], { cwd: tmp.dir, env: { ...process.env, DEBUG: 'pyroscope' } });
      const found = await types('pyro-node');
      process.stdout.write(`[profiles] @pyroscope/nodejs sent types: ${found.join(', ')}\n`);
      expect(found).toContain('cpu:nanoseconds');
      expect(found).toContain('wall:nanoseconds');
      const fg = await flameGraph(q({ service: 'pyro-node', type: 'cpu:nanoseconds' }));
      const self = selfByFunction(fg.flamegraph);
      const burn = selfOf(self, 'burnCpuForPyroscope');
      const light = selfOf(self, 'lightPyroscopeTask');
      const [top] = [...self.entries()].sort((a, b) => b[1] - a[1]);
      process.stdout.write(
        `[profiles] @pyroscope/nodejs: total ${(fg.flamegraph.total / 1e6).toFixed(0)} ms CPU, top frame "${top?.[0]}", burnCpuForPyroscope ${(burn / 1e6).toFixed(0)} ms (${((100 * burn) / fg.flamegraph.total).toFixed(1)}%), lightPyroscopeTask ${(light / 1e6).toFixed(0)} ms\n`,
      );
      expect(selfOf(new Map([top ?? ['', 0]]), 'burnCpuForPyroscope')).toBeGreaterThan(0);
      expect(burn / fg.flamegraph.total).toBeGreaterThan(0.5);
      expect(burn).toBeGreaterThan(4 * light);
    } finally {
      tmp.cleanup();
    }
  });
});
