/**
 * `vigil node-agent`: settings from the environment (`--listen` overrides
 * VIGIL_NODE_AGENT_LISTEN), see the README's table.
 */
import { readPushSettings } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import { parseListen, startNodeAgent, type RunningNodeAgent } from './agent.ts';
import { readMaxSpansPerSecond, readTracesSampling } from './l7/node-spans.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** VIGIL_EBPF_MAP_SIZE: entries per eBPF map (default 16384). */
function readMapSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1024 || n > 1_048_576)
    throw new Error(`VIGIL_EBPF_MAP_SIZE must be a whole number from 1024 to 1048576, not "${raw}"`);
  return n;
}

/** VIGIL_L7_HOOKS: `sockets` (default: the socket tracepoints where the kernel has them) or `syscalls`. */
function readL7OnSocketProbes(raw: string | undefined): boolean {
  if (raw === undefined || raw.trim() === '' || raw === 'sockets') return true;
  if (raw === 'syscalls') return false;
  throw new Error(`VIGIL_L7_HOOKS must be "sockets" or "syscalls", not "${raw}"`);
}

/** VIGIL_EBPF_AOT: `auto` (default: the TCP program compiled ahead of time where it can be) or `off`. */
function readEbpfAot(raw: string | undefined): boolean {
  if (raw === undefined || raw.trim() === '' || raw === 'auto') return true;
  if (raw === 'off') return false;
  throw new Error(`VIGIL_EBPF_AOT must be "auto" or "off", not "${raw}"`);
}

/** VIGIL_PROFILING_HZ: CPU profiling's samples per second on each CPU, 1-999 (default 99). */
function readProfilingHz(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 999)
    throw new Error(`VIGIL_PROFILING_HZ must be a whole number from 1 to 999, not "${raw}"`);
  return n;
}

export async function runNodeAgent(
  argv: readonly string[],
  env: Env,
  logger: Logger,
): Promise<RunningNodeAgent> {
  const flag = argv.indexOf('--listen');
  const listen = parseListen((flag >= 0 ? argv[flag + 1] : env.VIGIL_NODE_AGENT_LISTEN) ?? ':10300');
  const settings = readPushSettings(env);
  return startNodeAgent({
    listen,
    scrapeIntervalMs: settings.scrapeIntervalMs,
    push:
      settings.collectorUrl === undefined
        ? undefined
        : {
            collectorUrl: settings.collectorUrl,
            apiKey: settings.apiKey,
            spoolDir: settings.spoolDir,
            spoolMaxBytes: settings.spoolMaxBytes,
          },
    ebpf: env.VIGIL_EBPF !== 'off',
    ebpfMapSize: readMapSize(env.VIGIL_EBPF_MAP_SIZE),
    ebpfAot: readEbpfAot(env.VIGIL_EBPF_AOT),
    logs: env.VIGIL_LOGS !== 'off',
    l7: env.VIGIL_L7 !== 'off',
    l7ReadArgsFromRegisters: env.VIGIL_L7_READ_ARGS !== 'entry',
    l7OnSocketProbes: readL7OnSocketProbes(env.VIGIL_L7_HOOKS),
    profiling: env.VIGIL_PROFILING !== 'off',
    profilingHz: readProfilingHz(env.VIGIL_PROFILING_HZ),
    runtimeUprobes: env.VIGIL_RUNTIME_UPROBES === 'on',
    maxSpansPerSecond: readMaxSpansPerSecond(env.VIGIL_TRACES_MAX_PER_SECOND),
    tracesSampling: readTracesSampling(env.TRACES_SAMPLING ?? env.VIGIL_TRACES_SAMPLING),
    logger,
  });
}
