/**
 * The fixture process: burns CPU and allocates in functions with distinctive names, profiles
 * itself with @datadog/pprof (V8's time and sampling heap profilers) and serves the results at
 * Go's pprof paths on 127.0.0.1 (go-layout.ts says how Node's profiles become Go's). Prints
 * `{"port":N}` once ready. Run with `node --import tsx`.
 */
import { createServer, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { heap, time, encode } from '@datadog/pprof';
import { Profile } from 'pprof-format';
import { goCpuProfile, GoLayout, stacksOf } from './go-layout.ts';

let retained: number[][] = [];

/** Allocates arrays that stay live for a while, so the heap profile has in-use stacks. */
function vigilGoFixtureAlloc(seed: number): void {
  retained.push(new Array<number>(2048).fill(seed));
  if (retained.length > 400) retained = retained.slice(200);
}

/** The CPU work the time profile must show. */
function vigilGoFixtureBurn(): number {
  let x = 0;
  for (let i = 0; i < 200_000; i++) x += Math.sqrt(i) * Math.sin(i);
  vigilGoFixtureAlloc(x);
  return x;
}

// 15 ms of work every 20 ms: mostly busy, yet the event loop still answers HTTP.
setInterval(() => {
  const endMs = Date.now() + 15;
  while (Date.now() < endMs) vigilGoFixtureBurn();
}, 20);

heap.start(16 * 1024, 64);
const layout = new GoLayout();
let cpuBusy = false;

/** @datadog/pprof may return its own copy of pprof-format's Profile; re-read it with ours. */
async function asOurs(p: Parameters<typeof encode>[0]): Promise<Profile> {
  return Profile.decode(gunzipSync(await encode(p)));
}

function send(res: ServerResponse, status: number, body: Buffer | string): void {
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/octet-stream',
  });
  res.end(body);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = async (): Promise<Buffer | undefined> => {
    switch (url.pathname) {
      case '/debug/pprof/profile': {
        // Go answers a second concurrent CPU profile with 500 too.
        if (cpuBusy) throw new Error('cpu profiling already in use');
        cpuBusy = true;
        try {
          const seconds = Number(url.searchParams.get('seconds') ?? '30');
          return goCpuProfile(await asOurs(await time.profile({ durationMillis: seconds * 1000 })));
        } finally {
          cpuBusy = false;
        }
      }
      case '/debug/pprof/heap':
        return layout.heap(await asOurs(heap.profile()));
      case '/debug/pprof/goroutine':
        return layout.goroutine();
      case '/debug/pprof/mutex':
        return layout.contention('mutex');
      case '/debug/pprof/block':
        return layout.contention('block');
      default:
        return undefined;
    }
  };
  route().then(
    (body) => (body === undefined ? send(res, 404, 'not found\n') : send(res, 200, body)),
    (err: unknown) => send(res, 500, `${(err as Error).message}\n`),
  );
});

// Wait until the heap profile has stacks to lend to goroutine/mutex/block.
for (let i = 0; i < 100 && layout.stackCount === 0; i++) {
  await new Promise((r) => setTimeout(r, 50));
  layout.useStacks(stacksOf(await asOurs(heap.profile())).slice(0, 20));
}
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
