/**
 * Whether the eBPF tests can run here (root and the bpftrace command), as a service gate: they
 * skip with the reason elsewhere and fail when VIGIL_REQUIRE_SERVICES=1.
 */
import { execFileSync } from 'node:child_process';
import { serviceGate } from '@vigil/testkit';

function bpftraceInstalled(): boolean {
  try {
    execFileSync('bpftrace', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ebpfGate(): boolean {
  return serviceGate(
    'eBPF (root and bpftrace)',
    process.getuid?.() === 0 && bpftraceInstalled(),
    'run as root with the Debian package bpftrace installed',
  );
}
