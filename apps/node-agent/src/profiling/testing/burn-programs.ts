/**
 * Real programs for the profiling tests and the overhead benchmark: a C program compiled here
 * with gcc that spends its time in a function with a distinctive name, a Node.js script (run
 * with `--perf-basic-prof`) that does the same in a JavaScript function, and a Java class. Both print a line
 * once running, and the C program can also print the addresses the symbolizer tests look up.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const C_FUNCTION = 'burn_cpu_in_known_function';
export const JS_FUNCTION = 'burnCpuInKnownJsFunction';
export const JAVA_METHOD = 'burnCpuInKnownJavaMethod';

/**
 * `burn [seconds]`: prints "ready <address of burn_cpu_in_known_function> <address of qsort>",
 * then burns CPU in that function (forever without an argument), then prints the iterations
 * and the CPU time it got (`iterations <n> cpu_ns <ns>`).
 */
const C_SOURCE = `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile unsigned long sink;

// noipa: else gcc sees the function is pure and calls it once, outside the loop.
__attribute__((noipa)) unsigned long ${C_FUNCTION}(unsigned long n) {
  unsigned long x = 0;
  for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005UL + i;
  return x;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 0;
  printf("ready %p %p\\n", (void *)${C_FUNCTION}, (void *)qsort);
  fflush(stdout);
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  unsigned long rounds = 0;
  for (;;) {
    sink += ${C_FUNCTION}(1000000 + (rounds & 1));
    rounds++;
    if (seconds > 0) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      if ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 >= seconds) break;
    }
  }
  struct timespec cpu;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
  printf("iterations %lu cpu_ns %.0f\\n", rounds, cpu.tv_sec * 1e9 + cpu.tv_nsec);
  return 0;
}
`;

/** Compiles the C program into `dir` (PIE unless `pie` is false); returns its path. */
export function compileBurner(dir: string, options: { pie?: boolean; name?: string } = {}): string {
  const source = path.join(dir, 'burn.c');
  writeFileSync(source, C_SOURCE);
  const out = path.join(dir, options.name ?? 'burn');
  const flags = options.pie === false ? ['-no-pie', '-fno-pie'] : ['-fpie', '-pie'];
  execFileSync('gcc', ['-O0', '-fno-omit-frame-pointer', '-g0', ...flags, '-o', out, source]);
  return out;
}

/** `node --perf-basic-prof burn.js [seconds]`: burns CPU in {@link JS_FUNCTION}. */
const JS_SOURCE = `
function ${JS_FUNCTION}(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003;
  return x;
}
const seconds = Number(process.argv[2] ?? 0);
const start = Date.now();
let sink = 0;
let rounds = 0;
console.log('ready');
while (seconds === 0 || Date.now() - start < seconds * 1000) {
  sink += ${JS_FUNCTION}(1e6);
  rounds++;
}
console.log('iterations ' + rounds + ' ' + (sink % 2));
`;

/** Writes the Node.js script into `dir`; returns its path. */
export function writeJsBurner(dir: string): string {
  const file = path.join(dir, 'burn.js');
  writeFileSync(file, JS_SOURCE);
  return file;
}

const JAVA_SOURCE = `
public class Burn {
  static long ${JAVA_METHOD}(long n) {
    long x = 0;
    for (long i = 0; i < n; i++) x = x * 31 + i;
    return x;
  }

  public static void main(String[] args) {
    System.out.println("ready");
    long sink = 0;
    for (;;) {
      sink += ${JAVA_METHOD}(10_000_000L);
      if (sink == 42) System.out.println(sink);
    }
  }
}
`;

/** Compiles `Burn.java` into `dir` with javac; run it with `java -cp <dir> Burn`. */
export function compileJavaBurner(dir: string): void {
  const source = path.join(dir, 'Burn.java');
  writeFileSync(source, JAVA_SOURCE);
  execFileSync('javac', ['-d', dir, source]);
}
