import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTailer } from './file-tailer.ts';

let cleanup: (() => void) | undefined;
let tailer: FileTailer | undefined;
afterEach(async () => {
  await tailer?.close();
  cleanup?.();
});

function tempFile(content: string): string {
  const tmp = makeTempDir('vigil-tailer-');
  cleanup = tmp.cleanup;
  const file = path.join(tmp.dir, 'app.log');
  writeFileSync(file, content);
  return file;
}

describe('FileTailer', () => {
  it('starts at the end and returns only lines appended after the first poll', async () => {
    const file = tempFile('old 1\nold 2\n');
    tailer = new FileTailer({ path: file });
    expect(await tailer.poll()).toEqual([]);
    appendFileSync(file, 'new 1\nnew 2\r\nhalf');
    expect(await tailer.poll()).toEqual(['new 1', 'new 2']);
    appendFileSync(file, ' a line\n\n');
    expect(await tailer.poll()).toEqual(['half a line']);
  });

  it('follows a rename-and-recreate rotation without losing the old file’s last lines', async () => {
    const file = tempFile('');
    tailer = new FileTailer({ path: file });
    await tailer.poll();
    appendFileSync(file, 'before 1\n');
    expect(await tailer.poll()).toEqual(['before 1']);
    appendFileSync(file, 'before 2\n');
    renameSync(file, `${file}.1`);
    appendFileSync(`${file}.1`, 'late write to the rotated file\n');
    expect(await tailer.poll()).toEqual(['before 2', 'late write to the rotated file']);
    writeFileSync(file, 'after 1\nafter 2\n');
    expect(await tailer.poll()).toEqual(['after 1', 'after 2']);
    appendFileSync(file, 'after 3\n');
    expect(await tailer.poll()).toEqual(['after 3']);
    expect(tailer.stats().rotations).toBe(1);
  });

  it('reads a copytruncated file again from its start', async () => {
    const file = tempFile('x'.repeat(100) + '\n');
    tailer = new FileTailer({ path: file });
    await tailer.poll();
    appendFileSync(file, 'one\n');
    expect(await tailer.poll()).toEqual(['one']);
    truncateSync(file, 0);
    appendFileSync(file, 'two\n');
    expect(await tailer.poll()).toEqual(['two']);
    expect(tailer.stats().truncations).toBe(1);
  });

  it('cuts lines longer than the bound and drops the rest of them', async () => {
    const file = tempFile('');
    tailer = new FileTailer({ path: file, maxLineBytes: 10 });
    await tailer.poll();
    appendFileSync(file, `${'a'.repeat(25)}\nshort\n${'b'.repeat(8)}`);
    expect(await tailer.poll()).toEqual(['a'.repeat(10), 'short']);
    appendFileSync(file, `${'b'.repeat(8)}\n`);
    expect(await tailer.poll()).toEqual(['b'.repeat(10)]);
    expect(tailer.stats().truncatedLines).toBe(2);
  });

  it('waits for a file that does not exist yet and reads it from its start', async () => {
    const file = tempFile('');
    const later = path.join(path.dirname(file), 'later.log');
    tailer = new FileTailer({ path: later });
    expect(await tailer.poll()).toEqual([]);
    writeFileSync(later, 'first\n');
    expect(await tailer.poll()).toEqual(['first']);
  });
});
