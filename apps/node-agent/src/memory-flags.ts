/**
 * V8 sized for a small resident set, for a process that runs the agent alone (`vigil
 * node-agent`, the bundle), applied before its heap grows: the agent is a long-running daemon on
 * every node, where memory is worth more than a little CPU. `--optimize-for-size` makes V8 grow
 * its heap less eagerly and collect sooner. On the benchmark (docs/perf.md) agent RSS went from
 * 100.6 to 86.7 MB for 0.3% of a core. (Capping the young generation as well saved nothing more
 * and cost CPU.) `VIGIL_NODE_AGENT_V8_DEFAULTS=off` leaves V8's defaults.
 */
import v8 from 'node:v8';

export function applyAgentMemoryFlags(env: Readonly<Record<string, string | undefined>>): void {
  if (env.VIGIL_NODE_AGENT_V8_DEFAULTS === 'off') return;
  v8.setFlagsFromString('--optimize-for-size');
}
