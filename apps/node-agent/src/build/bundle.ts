/**
 * Bundles the agent (src/main.ts and the workspace packages it uses) into one ES module,
 * `dist/vigil-node-agent.mjs`: `node dist/vigil-node-agent.mjs` runs it without tsx, in about
 * 45 MB less memory (docs/perf.md). npm packages with native parts or their own loading
 * (snappy, pino, @grpc/grpc-js) stay imports, resolved from node_modules next to it.
 *
 * `npm run build:node-agent` runs this file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const BUNDLE_PATH = path.join(ROOT, 'dist', 'vigil-node-agent.mjs');
const EXTERNAL = ['snappy', 'pino', '@grpc/grpc-js'];

export async function bundleNodeAgent(outfile = BUNDLE_PATH): Promise<string> {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  await build({
    entryPoints: [path.join(ROOT, 'apps/node-agent/src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    define: { __VIGIL_VERSION__: JSON.stringify(version) },
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundleNodeAgent(process.argv[2] ?? BUNDLE_PATH);
  process.stdout.write(`${path.relative(process.cwd(), out)}\n`);
}
