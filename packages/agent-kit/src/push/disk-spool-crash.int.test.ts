/**
 * A spool written by another process that is SIGKILLed while appending: the next open must
 * find every segment that process reported as appended, complete, in order, and nothing
 * half-written under a segment name.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { openDiskSpool } from './disk-spool.ts';
import { formatSegmentName } from './segment-name.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../../..');
const SPOOL_MODULE = pathToFileURL(path.join(HERE, 'disk-spool.ts')).href;

// Segment i: its number (uint32 LE), then (i % 251) repeated; sizes vary so writes take time.
const CHILD = `
import { openDiskSpool } from ${JSON.stringify(SPOOL_MODULE)};
const spool = await openDiskSpool(process.argv[2]);
for (let i = 1; ; i++) {
  const bytes = Buffer.alloc(200_000 + (i % 13) * 4096, i % 251);
  bytes.writeUInt32LE(i, 0);
  await spool.append(bytes, { timestampMs: Date.now(), samples: i });
  process.stdout.write(i + '\\n');
}
`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('DiskSpool after a SIGKILL', () => {
  it('picks up every complete segment of the killed writer and no partial one', async () => {
    const temp = makeTempDir('vigil-spool-crash-');
    cleanups.push(temp.cleanup);
    const script = path.join(temp.dir, 'writer.mts');
    const spoolDir = path.join(temp.dir, 'spool');
    writeFileSync(script, CHILD);

    const child = spawn(process.execPath, ['--import', 'tsx', script, spoolDir], {
      cwd: REPO_ROOT, // where `tsx` resolves
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    let reported = 0;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        reported = out.split('\n').filter((l) => l !== '').length;
        // Kill it in the middle of the stream, while it is busy writing the next segment.
        if (reported >= 25) resolve();
      });
      child.once('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
    });
    // Aim the kill at a write in progress: wait (briefly) for the next segment's tmp file.
    for (let tries = 0; tries < 2000 && !readdirSync(spoolDir).some((f) => f.endsWith('.tmp')); tries++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // A tmp file as a kill mid-write leaves one (this one is made sure of).
    writeFileSync(
      path.join(spoolDir, `${formatSegmentName(999_999, Date.now(), 1)}.tmp`),
      Buffer.alloc(1234, 7),
    );

    const spool = await openDiskSpool(spoolDir);
    const stats = spool.stats();
    expect(stats.leftoverTmpFiles).toBeGreaterThanOrEqual(1);
    // Everything reported is there; at most the one being renamed at the kill is there too.
    expect(stats.segments).toBeGreaterThanOrEqual(reported);
    expect(stats.segments).toBeLessThanOrEqual(reported + 1);
    const seen: number[] = [];
    for (let s = spool.oldest(); s !== undefined; s = spool.oldest()) {
      const bytes = (await spool.read(s))!;
      const i = bytes.readUInt32LE(0);
      expect(s.samples).toBe(i);
      expect(bytes.length).toBe(200_000 + (i % 13) * 4096);
      expect(bytes.subarray(4).every((b) => b === i % 251)).toBe(true);
      seen.push(i);
      await spool.remove(s);
    }
    expect(seen).toEqual(Array.from({ length: stats.segments }, (_, k) => k + 1));
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
