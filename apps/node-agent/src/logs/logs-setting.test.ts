import { silentLogger } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { runNodeAgent } from '../run.ts';

describe('VIGIL_LOGS', () => {
  it('turns container logs off with "off" and leaves them on otherwise, as /health shows', async () => {
    for (const [value, on] of [
      ['off', false],
      [undefined, true],
    ] as const) {
      const agent = await runNodeAgent(
        ['--listen', '127.0.0.1:0'],
        { VIGIL_EBPF: 'off', VIGIL_L7: 'off', ...(value === undefined ? {} : { VIGIL_LOGS: value }) },
        silentLogger,
      );
      try {
        expect(agent.logs !== undefined).toBe(on);
        const health = (await (await fetch(`${agent.url}/health`)).json()) as { logs?: { sources: number } };
        expect(health.logs !== undefined).toBe(on);
      } finally {
        await agent.stop();
      }
    }
  });
});
