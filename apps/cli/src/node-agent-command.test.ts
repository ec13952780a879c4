import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** Runs `vigil <args>`; resolves with its output so far once `until` matches it, or on exit. */
function run(args: string[], until: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (until.test(output)) resolve(output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => resolve(output));
  });
  return { child, ready, exited };
}

describe('vigil node-agent', () => {
  it('serves the node’s metrics where --listen says, and exits 0 on SIGTERM', async () => {
    const { child, ready, exited } = run(['node-agent', '--listen', '127.0.0.1:0'], /\/metrics\n/);
    const url = /(http:\/\/\S+\/metrics)/.exec(await ready)?.[1];
    expect(url).toBeDefined();
    const text = await (await fetch(url!)).text();
    expect(text).toMatch(/^node_resources_cpu_logical_cores\{machine_id="[^"]+"\} \d+$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a listen address it cannot read, saying what it expects', async () => {
    const { ready, exited } = run(['node-agent', '--listen', 'nowhere'], /$^/);
    expect(await exited).toBe(1);
    expect(await ready).toContain('listen address "nowhere" is not host:port, :port or [ipv6]:port');
  });
});
