import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PatternClusterer, groupingAccuracy } from '@vigil/logs';
import { loghubAvailable, readLoghubStructured } from '@vigil/logs/testing';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** Runs `vigil <args>` with `input` on stdin; resolves with its exit code, stdout and stderr. */
function run(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('vigil log-patterns', () => {
  it.skipIf(!loghubAvailable())(
    'prints one hash per Loghub line, grouping them with an average accuracy of at least 0.90',
    async () => {
      const accuracies: number[] = [];
      for (const { system, contents, eventIds } of readLoghubStructured()) {
        const { code, stdout, stderr } = await run(['log-patterns'], contents.join('\n') + '\n');
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const hashes = stdout.split('\n').slice(0, -1);
        expect(hashes, system).toHaveLength(contents.length);
        for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{16}$/);
        // The same shapes get the same names in another process.
        const inProcess = new PatternClusterer({ maxPatterns: 1_000_000 });
        expect(hashes).toEqual(contents.map((m) => inProcess.add(m).hash));
        accuracies.push(groupingAccuracy(hashes, eventIds));
      }
      const average = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
      expect(average).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('prints the patterns table after the hashes with --patterns', async () => {
    const input = ['disk /dev/sda1 is 91% full', 'disk /dev/sdb2 is 95% full', 'backup started by cron'].join(
      '\n',
    );
    const { code, stdout } = await run(['log-patterns', '--patterns'], input);
    expect(code).toBe(0);
    const [hashes, table] = stdout.split('\n\n');
    const [a, b, c] = hashes!.split('\n');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(table!.split('\n')).toEqual([
      expect.stringMatching(/^hash +count +pattern/),
      `${a}      2  disk /dev/<*> is <*> full  |  disk /dev/sda1 is 91% full`,
      `${c}      1  backup started by cron  |  backup started by cron`,
      '',
    ]);
  });

  it('handles empty input and CRLF line ends', async () => {
    expect(await run(['log-patterns'], '')).toEqual({ code: 0, stdout: '', stderr: '' });
    const { stdout } = await run(['log-patterns'], 'a b c d 1\r\na b c d 2\r\n');
    const [first, second] = stdout.split('\n');
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(second).toBe(first);
  });

  it('stops quietly with exit code 0 when its reader goes away (| head)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'log-patterns'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => {}); // the child may exit before it has read everything
    child.stdout.once('data', () => child.stdout.destroy());
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const line = 'request 42 from 10.0.0.1 took 12 ms\n';
    child.stdin.end(line.repeat(400_000));
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  it('refuses an unknown flag or a bad --max-patterns with exit code 2 and a message', async () => {
    const unknown = await run(['log-patterns', '--bogus'], '');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown flag "--bogus"/);
    const bad = await run(['log-patterns', '--max-patterns', 'lots'], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-patterns needs a positive integer, got "lots"/);
  });
});
