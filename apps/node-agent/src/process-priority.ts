/**
 * The agent's CPU priority (`VIGIL_NODE_AGENT_NICE`, default 10): an observability agent should
 * wait for the CPU behind the workload it watches, not ahead of it. Its interval work (reading the
 * eBPF maps, building series, compressing and pushing) comes in bursts; at equal priority such a
 * burst delays the busy server threads it shares a core with and shows up in their tail latency.
 * A nice value only orders who runs first when both want the CPU: on an idle core the agent runs
 * at full speed, and the eBPF probes (run in the traced processes' own syscalls) are not affected.
 *
 * Linux keeps the nice value per thread, so every thread the process already has is set (V8's
 * and libuv's helpers included); threads and processes started later (bpftrace) inherit it.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';

export const DEFAULT_AGENT_NICE = 10;

/** VIGIL_NODE_AGENT_NICE: -20 to 19, or `off` to leave the priority as started. */
export function readAgentNice(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return DEFAULT_AGENT_NICE;
  if (raw === 'off') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -20 || n > 19)
    throw new Error(`VIGIL_NODE_AGENT_NICE must be a whole number from -20 to 19 or "off", not "${raw}"`);
  return n;
}

/**
 * Sets every thread of this process to `nice`; returns how many were set. A thread that is gone
 * by the time it is set is skipped; lowering the priority needs no privilege, raising it does.
 */
export function applyAgentNice(nice: number): number {
  let set = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      os.setPriority(Number(tid), nice);
      set += 1;
    } catch (err) {
      // A thread that ended since the listing is no error; anything else (EACCES) is.
      if ((err as { info?: { code?: string } }).info?.code !== 'ESRCH') throw err;
    }
  }
  return set;
}
