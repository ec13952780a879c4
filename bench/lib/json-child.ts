/**
 * Runs a bench script in a child process (`node --import tsx <script> '<json job>'`) and resolves
 * with the JSON object it prints as its last stdout line: for work that needs a process of its
 * own, e.g. because chDB binds one data directory per process.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './server-process.ts';

export function runJsonChild<T>(script: string, job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as T);
      else reject(new Error(`${script} exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}
