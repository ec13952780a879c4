/**
 * `vigil node-agent`: settings from the environment (`--listen` overrides
 * VIGIL_NODE_AGENT_LISTEN), see the README's table.
 */
import { readPushSettings } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import { parseListen, startNodeAgent, type RunningNodeAgent } from './agent.ts';
import { readMaxSpansPerSecond, readTracesSampling } from './l7/node-spans.ts';
import { readWholeNumberSetting } from './whole-number-setting.ts';

type Env = Readonly<Record<string, string | undefined>>;

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
    // Entries per eBPF map (default 16384).
    ebpfMapSize: readWholeNumberSetting('VIGIL_EBPF_MAP_SIZE', env.VIGIL_EBPF_MAP_SIZE, 1024, 1_048_576),
    ebpfAot: readEbpfAot(env.VIGIL_EBPF_AOT),
    logs: env.VIGIL_LOGS !== 'off',
    l7: env.VIGIL_L7 !== 'off',
    l7ReadArgsFromRegisters: env.VIGIL_L7_READ_ARGS !== 'entry',
    l7OnSocketProbes: readL7OnSocketProbes(env.VIGIL_L7_HOOKS),
    profiling: env.VIGIL_PROFILING !== 'off',
    // CPU profiling's samples per second on each CPU (default 99).
    profilingHz: readWholeNumberSetting('VIGIL_PROFILING_HZ', env.VIGIL_PROFILING_HZ, 1, 999),
    runtimeUprobes: env.VIGIL_RUNTIME_UPROBES === 'on',
    maxSpansPerSecond: readMaxSpansPerSecond(env.VIGIL_TRACES_MAX_PER_SECOND),
    tracesSampling: readTracesSampling(env.TRACES_SAMPLING ?? env.VIGIL_TRACES_SAMPLING),
    logger,
  });
}
