/**
 * Starts the fixture process (pprof-child.ts): a Node process profiled by @datadog/pprof whose
 * profiles are served at Go's pprof paths, on a loopback port the kernel picks.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'pprof-child.ts');
const REPO_ROOT = path.resolve(HERE, '../../../../..');

/** Functions of the fixture that its CPU and heap profiles show. */
export const BURN_FUNCTION = 'vigilGoFixtureBurn';
export const ALLOC_FUNCTION = 'vigilGoFixtureAlloc';

export interface PprofProcess {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** Whether @datadog/pprof's native module loads here; the reason when it does not. */
export function datadogPprofLoads(): { ok: true } | { ok: false; reason: string } {
  try {
    createRequire(import.meta.url)('@datadog/pprof');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0] ?? 'unknown' };
  }
}

/** Resolves once the process listens (20 s at most). */
export async function startPprofProcess(): Promise<PprofProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the pprof fixture did not start: ${stderr}`)), 20_000);
    const fail = (): void => {
      clearTimeout(timer);
      reject(new Error(`the pprof fixture exited: ${stderr}`));
    };
    child.once('exit', fail);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', fail);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { baseUrl: `http://127.0.0.1:${port}`, stop };
}
