/**
 * The web UI's bundle size: the gzipped JavaScript a browser downloads for the first load of
 * the applications overview (the entry chunk, the overview page's chunk — the route loads it at
 * once — and everything those import statically; lazy chunks of other pages excluded), against
 * the issue's goal of 500 KB, and every chunk's size.
 *
 * Builds apps/web with its own vite.config.ts into bench/.out/web-dist (with a manifest, which
 * the served build does not need), so the served apps/web/dist is left alone. Sizes are gzip -9
 * of each file, in KB of 1000 bytes as browsers' devtools show them.
 *
 * Run: npm run bench:web-bundle
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const GOAL_KB = 500;
const repo = fileURLToPath(new URL('..', import.meta.url));
const webRoot = path.join(repo, 'apps/web');
const outDir = path.join(repo, 'bench/.out/web-dist');
const OVERVIEW = 'src/pages/overview/OverviewPage.tsx';

await build({
  root: webRoot,
  configFile: path.join(webRoot, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, manifest: true },
});

const manifest = JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;
const gzipKb = (file: string) => gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length / 1000;
const rawKb = (file: string) => readFileSync(path.join(outDir, file)).length / 1000;

/** `key` and every chunk it imports statically, transitively. */
function staticClosure(key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const k of manifest[key]?.imports ?? []) staticClosure(k, into);
  return into;
}

const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
if (!entry) throw new Error('the manifest has no entry chunk');
if (!manifest[OVERVIEW]) throw new Error(`the manifest has no chunk for ${OVERVIEW}`);
const firstLoad = staticClosure(OVERVIEW, staticClosure(entry));
const files = [...firstLoad].map((k) => manifest[k]!.file);
const jsKb = files.reduce((s, f) => s + gzipKb(f), 0);
const cssFiles = [...new Set([...firstLoad].flatMap((k) => manifest[k]!.css ?? []))];
const cssKb = cssFiles.reduce((s, f) => s + gzipKb(f), 0);

console.log(`web bundle (apps/web, vite build, gzip -9)\n`);
console.log(
  `overview first load: ${jsKb.toFixed(1)} KB of JavaScript gzipped in ${files.length} chunks ` +
    `(goal ≤ ${GOAL_KB} KB: ${jsKb <= GOAL_KB ? 'met' : 'NOT MET'}, ${((jsKb / GOAL_KB) * 100).toFixed(0)}% of it); ` +
    `CSS ${cssKb.toFixed(1)} KB gzipped`,
);
console.log(`\n${'chunk'.padEnd(48)} ${'raw KB'.padStart(9)} ${'gzip KB'.padStart(9)}  first load`);
const all = [...new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))].sort(
  (a, b) => gzipKb(b) - gzipKb(a),
);
for (const f of all) {
  const first = files.includes(f) || cssFiles.includes(f);
  console.log(
    `${f.padEnd(48)} ${rawKb(f).toFixed(1).padStart(9)} ${gzipKb(f).toFixed(1).padStart(9)}  ${first ? 'yes' : ''}`,
  );
}
