/**
 * What a process that runs the agent alone (`vigil node-agent`, the bundle) sets on itself before
 * the agent starts: V8's heap flags (memory-flags.ts), then its CPU priority (process-priority.ts).
 */
import { applyAgentMemoryFlags } from './memory-flags.ts';
import { applyAgentNice, readAgentNice } from './process-priority.ts';

export function applyAgentProcessSettings(env: Readonly<Record<string, string | undefined>>): void {
  applyAgentMemoryFlags(env);
  const priority = readAgentNice(env.VIGIL_NODE_AGENT_NICE);
  if (priority !== undefined) applyAgentNice(priority);
}
