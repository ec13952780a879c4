/**
 * One run of this benchmark per machine at a time: bpftrace sees every process's connections,
 * so two runs would each count the other's load as their own agent's work.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LOCK = path.join(tmpdir(), 'vigil-bench-node-agent.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock (or throws naming the run that holds it) and returns its release. */
export function takeRunLock(): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return () => rmSync(LOCK, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(LOCK, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && alive(holder))
        throw new Error(`another bench:node-agent (pid ${holder}) is running; ${LOCK} holds its pid`, {
          cause: err,
        });
      rmSync(LOCK, { force: true }); // left by a run that was killed
    }
  }
  throw new Error(`could not take ${LOCK}`);
}
