/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and lists where the JS main thread spent its
 * time: self time per function, inclusive time per function (each sample counted once per
 * function on its stack, so recursion does not double count) and self time per package. Samples
 * can be limited to a window of CLOCK_MONOTONIC microseconds, which is the clock V8 stamps them
 * with and the one `process.hrtime` reads, so start-up (tsx compiling, migrations) is left out.
 *
 * Standalone: node --import tsx bench/lib/cpu-profile.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Sampled time inside the window, idle excluded. */
  busyMs: number;
  idleMs: number;
  self: ProfileEntry[];
  inclusive: ProfileEntry[];
  packages: ProfileEntry[];
}

const META = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const pk = url.search(/(packages|apps)\/[^/]+\/src\//);
  if (pk >= 0) return url.slice(pk);
  return url.replace(/^file:\/\//, '');
}

function frameName(f: CallFrame): string {
  if (META.has(f.functionName) || f.url === '') return f.functionName || '(anonymous)';
  // No line numbers: under tsx they are those of the transpiled module, not of the source.
  return `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}`;
}

function packageOf(f: CallFrame): string {
  if (f.url === '') return f.functionName.startsWith('(') ? f.functionName : '(native/builtin)';
  if (f.url.startsWith('node:')) return 'node: internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url);
  if (nm) return nm[1]!;
  const pk = /(packages|apps)\/([^/]+)\//.exec(f.url);
  return pk ? `@vigil/${pk[2]}` : shortUrl(f.url);
}

function top(map: Map<string, number>, total: number, n: number): ProfileEntry[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
}

/** Summarizes `file`; `windowUs` = [from, to] in CLOCK_MONOTONIC µs, or all samples. */
export function summarizeCpuProfile(file: string, windowUs?: [number, number], n = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  // Distinct function names on each node's stack, computed once per node.
  const stacks = new Map<number, string[]>();
  const stackOf = (id: number): string[] => {
    let s = stacks.get(id);
    if (s) return s;
    const name = frameName(byId.get(id)!.callFrame);
    const up = parent.has(id) ? stackOf(parent.get(id)!) : [];
    s = up.includes(name) ? up : [...up, name];
    stacks.set(id, s);
    return s;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let t = profile.startTime;
  const inWindow = (time: number): boolean => !windowUs || (time >= windowUs[0] && time <= windowUs[1]);
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample's time is charged to the next interval; the next delta is the best estimate.
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    if (!inWindow(t)) continue;
    const frame = byId.get(profile.samples[i]!)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const name = frameName(frame);
    self.set(name, (self.get(name) ?? 0) + us);
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    for (const fn of stackOf(profile.samples[i]!)) {
      if (META.has(fn)) continue;
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
    }
  }
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    self: top(self, busyUs, n),
    inclusive: top(inclusive, busyUs, n),
    packages: top(packages, busyUs, n),
  };
}

/** Plain-text table of a summary. */
export function formatProfileSummary(s: ProfileSummary): string {
  const rows = (title: string, entries: ProfileEntry[]): string =>
    `${title}\n` +
    entries
      .map(
        (e) => `  ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`,
      )
      .join('\n');
  return [
    `JS main thread: ${(s.busyMs / 1000).toFixed(1)} s busy, ${(s.idleMs / 1000).toFixed(1)} s idle (sampled)`,
    rows('self time by package:', s.packages),
    rows('self time by function:', s.self),
    rows('inclusive time by function:', s.inclusive),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cpu-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(summarizeCpuProfile(file, undefined, Number(n ?? 20)))}\n`);
}
