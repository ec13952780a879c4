/**
 * V8 sized for a small resident set, on request (`VIGIL_NODE_AGENT_SMALL_HEAP=on`), for a process
 * that runs the agent alone (`vigil node-agent`, the bundle), applied before its heap grows.
 * `--optimize-for-size` makes V8 grow its heap less eagerly and collect sooner: on the benchmark
 * (docs/perf.md) agent RSS 103 → 94 MB, for about half a point of a core (V8's helper threads
 * collected twice as often: 1.57% → 2.13% of a core in all). It was the default while bpftrace
 * kept ~100 MB resident and the agent needed every megabyte to stay under 200 MB; with the
 * compiled TCP program (ebpf/bpftrace-aot.ts) the agent has the room, and CPU is worth more.
 */
import v8 from 'node:v8';

export function applyAgentMemoryFlags(env: Readonly<Record<string, string | undefined>>): void {
  const setting = env.VIGIL_NODE_AGENT_SMALL_HEAP;
  if (setting === undefined || setting === '' || setting === 'off') return;
  if (setting !== 'on')
    throw new Error(`VIGIL_NODE_AGENT_SMALL_HEAP must be "on" or "off", not "${setting}"`);
  v8.setFlagsFromString('--optimize-for-size');
}
