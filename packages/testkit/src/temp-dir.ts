import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh directory under the OS temp dir, removed by the returned cleanup function. */
export function makeTempDir(prefix = 'vigil-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A database name unique to this test process, so tests sharing one chDB engine stay apart. */
export function uniqueDatabaseName(prefix = 'vigil_test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}
