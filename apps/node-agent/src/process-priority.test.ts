import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_NICE, readAgentNice } from './process-priority.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Field 19 of /proc/<pid>/task/<tid>/stat: the thread's nice value (after the command in parentheses). */
const NICE_OF_THREAD = `
  const niceOf = (stat) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  const threads = (pid) => fs.readdirSync('/proc/' + pid + '/task').map((t) =>
    niceOf(fs.readFileSync('/proc/' + pid + '/task/' + t + '/stat', 'utf8')));`;

describe('applyAgentNice', () => {
  it('lowers every thread of a running process, and what it starts afterwards inherits the value', () => {
    const script = `
      import fs from 'node:fs';
      import { execFileSync } from 'node:child_process';
      import { applyAgentNice } from ${JSON.stringify(path.join(here, 'process-priority.ts'))};
      ${NICE_OF_THREAD}
      const before = threads(process.pid);
      const target = Math.min(19, before[0] + 3);
      const set = applyAgentNice(target);
      // A libuv pool thread is started on first use, after the call.
      await fs.promises.readFile('/proc/self/stat');
      const after = threads(process.pid);
      const child = Number(execFileSync('sh', ['-c', 'cut -d" " -f19 /proc/self/stat'], { encoding: 'utf8' }).trim());
      console.log(JSON.stringify({ before, target, set, after, child }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const { before, target, set, after, child } = JSON.parse(out) as {
      before: number[];
      target: number;
      set: number;
      after: number[];
      child: number;
    };
    expect(before.length).toBeGreaterThan(1); // V8's and libuv's threads exist before the call
    expect(before.every((n) => n === before[0])).toBe(true);
    expect(target).toBeGreaterThan(before[0]!);
    expect(set).toBe(before.length);
    expect(after.length).toBeGreaterThan(before.length - 1);
    expect(after).toEqual(after.map(() => target));
    expect(child).toBe(target);
  });
});

describe('applyAgentNice("idle")', () => {
  it('puts every thread under SCHED_IDLE, and what the process starts afterwards too', () => {
    const script = `
      import fs from 'node:fs';
      import { execFileSync } from 'node:child_process';
      import { applyAgentNice } from ${JSON.stringify(path.join(here, 'process-priority.ts'))};
      // Field 41 of stat: the scheduling policy (5 = SCHED_IDLE).
      const policyOf = (stat) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
      const policies = () => fs.readdirSync('/proc/self/task').map((t) =>
        policyOf(fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8')));
      const before = policies();
      applyAgentNice('idle');
      const after = policies();
      const child = Number(execFileSync('sh', ['-c', 'cut -d" " -f41 /proc/self/stat'], { encoding: 'utf8' }).trim());
      console.log(JSON.stringify({ before, after, child }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const { before, after, child } = JSON.parse(out) as { before: number[]; after: number[]; child: number };
    expect(before.every((p) => p === 0)).toBe(true); // SCHED_OTHER
    expect(after).toEqual(after.map(() => 5));
    expect(after.length).toBeGreaterThan(1);
    expect(child).toBe(5);
  });
});

describe('readAgentNice', () => {
  it('defaults to a lower priority, accepts -20..19 and "off", and says what was wrong', () => {
    expect(readAgentNice(undefined)).toBe(DEFAULT_AGENT_NICE);
    expect(readAgentNice('')).toBe(DEFAULT_AGENT_NICE);
    expect(readAgentNice('0')).toBe(0);
    expect(readAgentNice('19')).toBe(19);
    expect(readAgentNice('off')).toBeUndefined();
    expect(readAgentNice('idle')).toBe('idle');
    expect(() => readAgentNice('20')).toThrow(
      'VIGIL_NODE_AGENT_NICE must be a whole number from -20 to 19, "idle" or "off", not "20"',
    );
    expect(() => readAgentNice('low')).toThrow('not "low"');
  });
});
