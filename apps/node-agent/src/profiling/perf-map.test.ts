import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { PerfMap } from './perf-map.ts';

const tmp = makeTempDir('vigil-perf-map-');
afterAll(() => tmp.cleanup());

describe('PerfMap', () => {
  it.each([
    { address: 0x1000, want: 'JS:*burn /app/burn.js:2' },
    { address: 0x101f, want: 'JS:*burn /app/burn.js:2' },
    { address: 0x1020, want: undefined },
    { address: 0x2004, want: 'Builtin:ArgumentsAdaptorTrampoline' },
    { address: 0x0fff, want: undefined },
  ])('names $address from the entry that covers it', ({ address, want }) => {
    const map = new PerfMap('unused');
    map.addText('1000 20 JS:*burn /app/burn.js:2\n2000 10 Builtin:ArgumentsAdaptorTrampoline\n');
    expect(map.lookup(address)).toBe(want);
  });

  it('prefers the later entry where code was replaced at the same range', () => {
    const map = new PerfMap('unused');
    map.addText('1000 20 JS:~old /a.js:1\n');
    map.addText('1000 20 JS:*new /a.js:1\n');
    expect(map.lookup(0x1010)).toBe('JS:*new /a.js:1');
  });

  it('reads a growing file incrementally, a partial line waiting for its end', async () => {
    const file = path.join(tmp.dir, 'perf-1.map');
    writeFileSync(file, '1000 20 first\n2000 2');
    const map = new PerfMap(file);
    expect(await map.refresh()).toBe(true);
    expect(map.size).toBe(1);
    expect(map.lookup(0x2001)).toBeUndefined();
    appendFileSync(file, '0 second\n');
    await map.refresh();
    expect(map.size).toBe(2);
    expect(map.lookup(0x2001)).toBe('second');
    expect(await new PerfMap(path.join(tmp.dir, 'absent.map')).refresh()).toBe(false);
  });

  it('reads a rewritten file (a JVM’s snapshot) again from the start', async () => {
    const file = path.join(tmp.dir, 'perf-2.map');
    writeFileSync(file, '1000 20 Interpreter\n2000 20 Lcom/acme/Old;::run\n');
    const map = new PerfMap(file);
    await map.refresh();
    writeFileSync(file, '1000 20 Interpreter\n3000 20 Lcom/acme/New;::run\n4000 20 Lcom/acme/More;::run\n');
    await map.refresh();
    expect(map.size).toBe(3);
    expect(map.lookup(0x2001)).toBeUndefined();
    expect(map.lookup(0x3001)).toBe('Lcom/acme/New;::run');
    expect(map.lookup(0x4001)).toBe('Lcom/acme/More;::run');
  });

  it('keeps the newest entries within its bound', () => {
    const map = new PerfMap('unused', 2);
    map.addText('1000 10 a\n2000 10 b\n3000 10 c\n');
    expect(map.size).toBe(2);
    expect(map.lookup(0x1000)).toBeUndefined();
    expect(map.lookup(0x3000)).toBe('c');
  });
});
