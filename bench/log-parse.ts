/**
 * Lines per second per core through the node agent's log processing: multi-line assembly, level
 * detection and pattern clustering (@vigil/logs), over the raw lines of the eight Loghub 2k
 * samples (/work/shared/data/loghub), as a container's log lines arrive, header and all.
 *
 * Each pass runs every sample through a fresh assembler and clusterer (one per sample, as the
 * agent keeps one per container), so pattern learning is included every time; `steady` passes
 * keep them, as on a long-running container. Two clustering policies: every message (what
 * `vigil log-patterns` does) and warning-and-above only (what the agent does). CPU is the
 * process's user + system time (process.cpuUsage), so "per core" is lines / CPU-second.
 *
 * Peer: Drain (the reference parser of the Loghub benchmark) is a Python package; PyPI is not
 * reachable from this machine, so it cannot be installed and no peer figure is printed.
 *
 * Run: npm run bench:log-parse  (BENCH_SECONDS=3 per case; MULTILINE=1 adds a 12-line Java stack
 * trace after every 50th line, so that a fifth of the lines are continuation lines)
 */
import { MultilineAssembler, PatternClusterer, detectLevel, isPatternLevel } from '@vigil/logs';
import { readLoghubStructured } from '@vigil/logs/testing';
import { machineFacts } from './lib/report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const GOAL_LINES_PER_CORE_SECOND = 100_000;
/** A 12-line Java stack trace, as an application logs it after an ERROR line. */
const JAVA_TRACE = [
  'java.lang.IllegalStateException: connection pool exhausted (max 20)',
  '\tat com.acme.db.Pool.acquire(Pool.java:118)',
  '\tat com.acme.db.Repository.find(Repository.java:42)',
  '\tat com.acme.api.UserHandler.get(UserHandler.java:77)',
  '\tat com.acme.http.Router.dispatch(Router.java:203)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
  '\tat java.base/java.lang.Thread.run(Thread.java:833)',
  'Caused by: java.net.SocketTimeoutException: connect timed out',
  '\tat java.base/java.net.PlainSocketImpl.socketConnect(Native Method)',
  '\tat com.acme.db.Pool.open(Pool.java:90)',
  '\tat com.acme.db.Pool.acquire(Pool.java:112)',
  '\t... 5 more',
];
const loghub = readLoghubStructured().map(({ system, rawLines }) => ({ system, lines: rawLines }));
/** With MULTILINE=1, every 50th line of each sample is followed by JAVA_TRACE. */
const samples = loghub.map(({ system, lines }) => ({
  system,
  lines:
    process.env.MULTILINE === '1'
      ? lines.flatMap((l, i) => (i % 50 === 49 ? [l, ...JAVA_TRACE] : [l]))
      : lines,
}));
const linesPerPass = samples.reduce((n, s) => n + s.lines.length, 0);

interface Pipeline {
  assembler: MultilineAssembler;
  clusterer: PatternClusterer;
}
const freshPipelines = (): Pipeline[] =>
  samples.map(() => ({
    assembler: new MultilineAssembler(),
    clusterer: new PatternClusterer({ maxPatterns: 1000 }),
  }));

/** One pass over every sample; returns a checksum so the work cannot be optimised away. */
function pass(pipelines: Pipeline[], clusterAll: boolean, startMs: number): number {
  let checksum = 0;
  samples.forEach(({ lines }, s) => {
    const { assembler, clusterer } = pipelines[s]!;
    const handle = (text: string): void => {
      const level = detectLevel(text);
      if (clusterAll || isPatternLevel(level)) checksum += clusterer.add(text).hash.charCodeAt(0);
      else checksum += level.length;
    };
    for (let i = 0; i < lines.length; i++) {
      for (const message of assembler.push(lines[i]!, startMs + i)) handle(message.text);
      if ((i & 1023) === 0) for (const message of assembler.flushOlderThan(startMs + i)) handle(message.text);
    }
    for (const message of assembler.flush()) handle(message.text);
  });
  return checksum;
}

function measure(name: string, clusterAll: boolean, steady: boolean): number {
  let pipelines = freshPipelines();
  pass(pipelines, clusterAll, 0); // warm-up (JIT)
  const started = Date.now();
  const before = process.cpuUsage();
  let lines = 0;
  let checksum = 0;
  while (Date.now() - started < SECONDS * 1000) {
    if (!steady) pipelines = freshPipelines();
    checksum += pass(pipelines, clusterAll, Date.now());
    lines += linesPerPass;
  }
  const used = process.cpuUsage(before);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const wallSeconds = (Date.now() - started) / 1000;
  const perCore = lines / cpuSeconds;
  const patterns = pipelines.reduce((n, p) => n + p.clusterer.size, 0);
  console.log(
    `${name.padEnd(44)} ${Math.round(perCore).toLocaleString('en-US').padStart(10)} lines/CPU-s` +
      `  (${lines.toLocaleString('en-US')} lines, ${cpuSeconds.toFixed(2)} CPU-s, ${wallSeconds.toFixed(2)} s wall,` +
      ` ${patterns} patterns, checksum ${checksum % 997})`,
  );
  return perCore;
}

const machine = machineFacts();
console.log(
  `log-parse: ${linesPerPass} lines per pass${process.env.MULTILINE === '1' ? ' (Loghub + a Java stack trace after every 50th line)' : ''} (${samples.map((s) => s.system).join(', ')}); ` +
    `${machine.cores} × ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
);
const results = [
  measure('all messages clustered, fresh per pass', true, false),
  measure('all messages clustered, steady', true, true),
  measure('warning and above clustered, fresh per pass', false, false),
  measure('warning and above clustered, steady', false, true),
];
const worst = Math.min(...results);
console.log(
  `goal ≥ ${GOAL_LINES_PER_CORE_SECOND.toLocaleString('en-US')} lines/s per core: ` +
    `${worst >= GOAL_LINES_PER_CORE_SECOND ? 'met' : 'MISSED'} (worst case ${Math.round(worst).toLocaleString('en-US')})`,
);
console.log('peer: Drain (Python) not run — PyPI is unreachable here, so it cannot be installed.');
