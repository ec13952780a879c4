import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyAgentMemoryFlags } from './memory-flags.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * V8's heap (MB) in a fresh node process that built and dropped 200 000 objects twenty times, with
 * the agent's settings applied or not (as the agent's entry points apply them, at run time).
 */
function heapAfterChurn(env: Record<string, string>): number {
  const script = `
    import { applyAgentMemoryFlags } from ${JSON.stringify(path.join(here, 'memory-flags.ts'))};
    applyAgentMemoryFlags(${JSON.stringify(env)});
    for (let r = 0; r < 20; r++) {
      let live = [];
      for (let i = 0; i < 200000; i++) live.push({ a: i, b: 'y' + i, c: [i] });
      live = null;
    }
    console.log(process.memoryUsage().heapTotal / 1e6);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

describe('applyAgentMemoryFlags', () => {
  it('with VIGIL_NODE_AGENT_SMALL_HEAP=on, keeps V8 from growing the heap the way it does by default', () => {
    // V8 sizes its heap by when its concurrent collector gets to run, which a busy machine moves
    // (one CI run read 43 against 59 MB, a ratio of 0.73): the median of three runs of each, taken
    // in turns, against a margin the flag clears by far and its absence (a ratio near 1) cannot.
    const defaults: number[] = [];
    const small: number[] = [];
    for (let i = 0; i < 3; i++) {
      defaults.push(heapAfterChurn({}));
      small.push(heapAfterChurn({ VIGIL_NODE_AGENT_SMALL_HEAP: 'on' }));
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[1]!;
    expect(median(small)).toBeLessThan(median(defaults) * 0.8);
  }, 60_000);

  it('rejects a setting other than on or off, saying what was wrong', () => {
    expect(() => applyAgentMemoryFlags({ VIGIL_NODE_AGENT_SMALL_HEAP: 'yes' })).toThrow(
      'VIGIL_NODE_AGENT_SMALL_HEAP must be "on" or "off", not "yes"',
    );
  });
});
