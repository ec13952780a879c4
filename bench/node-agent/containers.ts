/**
 * The benchmark's containers: real Docker (busybox, host network, testkit's helpers), most of
 * them asleep, every fifth in a light loop (a few ms of shell arithmetic and a new `sleep`
 * process each second), so the agent sees CPU use and process churn, not only idle cgroups.
 */
import { spawn } from 'node:child_process';
import { dockerAvailable, ensureBusyboxImage, removeTestContainers, runContainer } from '@vigil/testkit';

/** Starts dockerd as the project's machines run it, unless a daemon answers already. */
export async function ensureDocker(): Promise<string> {
  if (await dockerAvailable()) return 'running';
  const daemon = spawn('dockerd', ['--bridge=none', '--iptables=false', '--ip-masq=false'], {
    detached: true,
    stdio: 'ignore',
  });
  daemon.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await dockerAvailable()) return `started (dockerd pid ${daemon.pid}, left running)`;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('docker info fails and dockerd did not come up within 60 s');
}

const LIGHT_LOOP = 'while true; do i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; sleep 1; done';

/** Starts `count` containers (five at a time) that outlive the run by `lifetimeSeconds`. */
export async function startContainers(count: number, lifetimeSeconds: number): Promise<string[]> {
  await ensureBusyboxImage();
  const names = Array.from({ length: count }, (_, i) => `vigil-bench-node-agent-${process.pid}-${i}`);
  const start = (name: string, i: number): Promise<string> =>
    runContainer({
      name,
      cmd: i % 5 === 4 ? ['sh', '-c', LIGHT_LOOP] : ['sleep', String(lifetimeSeconds)],
      labels: { 'vigil-bench': 'node-agent' },
    });
  for (let i = 0; i < names.length; i += 5) {
    await Promise.all(names.slice(i, i + 5).map((name, j) => start(name, i + j)));
  }
  return names;
}

/** Removes every container this process started (testkit labels them with our pid). */
export function removeContainers(): Promise<void> {
  return removeTestContainers();
}
