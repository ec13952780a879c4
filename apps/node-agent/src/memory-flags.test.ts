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
    const defaults = heapAfterChurn({});
    const small = heapAfterChurn({ VIGIL_NODE_AGENT_SMALL_HEAP: 'on' });
    expect(small).toBeLessThan(defaults * 0.7);
  });

  it('rejects a setting other than on or off, saying what was wrong', () => {
    expect(() => applyAgentMemoryFlags({ VIGIL_NODE_AGENT_SMALL_HEAP: 'yes' })).toThrow(
      'VIGIL_NODE_AGENT_SMALL_HEAP must be "on" or "off", not "yes"',
    );
  });
});
