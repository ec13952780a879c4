/** What a benchmark figure was measured on; docs/perf.md quotes it next to the numbers. */
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average at the start: a busy machine explains slow figures. */
  loadAverage1m: number;
  node: string;
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    node: process.version,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, load ${m.loadAverage1m}, Node ${m.node}, ${m.date}`;
}
