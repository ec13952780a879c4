/**
 * The bundled agent (what `npm run build:node-agent` writes) runs on its own with plain node —
 * no tsx — serves /metrics with its version, and stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleNodeAgent } from './bundle.ts';

const temp = makeTempDir('vigil-agent-bundle-');
afterAll(() => temp.cleanup());

describe('the bundled node agent', () => {
  it('runs with plain node and serves its metrics', async () => {
    // Next to the repository's node_modules, where its external packages resolve.
    const out = await bundleNodeAgent(
      path.join(process.cwd(), 'dist', `vigil-node-agent-test-${process.pid}.mjs`),
    );
    const child = spawn(process.execPath, [out, '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VIGIL_EBPF: 'off', VIGIL_DATA_DIR: temp.dir, NODE_OPTIONS: '' },
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (d: Buffer): void => {
          output += d.toString();
          const m = /Vigil node agent: (http:\/\/\S+)\/metrics/.exec(output);
          if (m) resolve(m[1]!);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`the bundle exited (${code}):\n${output}`)));
      });
      const text = await (await fetch(`${url}/metrics`)).text();
      const version = (
        JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8')) as { version: string }
      ).version;
      expect(text).toContain(`version="${version}"`);
      expect(text).toMatch(/^container_info\{/m);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      (await import('node:fs')).rmSync(out, { force: true });
    }
  });
});
