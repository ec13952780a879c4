/// <reference types="node" />
/**
 * A production build of the web UI for one test file, in a directory of its own: a `vite build`
 * of apps/web/dist running meanwhile (a developer, another test file) would delete the chunks
 * the page loads lazily.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds apps/web into a new temporary directory named after `name`; returns the directory. */
export async function buildWebUi(name: string): Promise<string> {
  const outDir = path.join(tmpdir(), `vigil-web-${name}-${process.pid}`);
  await build({
    root: WEB_ROOT,
    configFile: path.join(WEB_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
