/**
 * bpftrace programs compiled ahead of time. `bpftrace --aot <file>` compiles a program once
 * (LLVM and clang load, then the process exits) and `bpftrace-aotrt <file>`, shipped in the same
 * package, loads and runs it without linking either. A running bpftrace keeps ~100 MB resident,
 * three quarters of it LLVM's and clang's pages mapped while compiling and never used again; the
 * runtime keeps ~13 MB. Only programs without casts, `curtask`, tuple values that are printed or
 * stacks run this way under bpftrace 0.17 (tcp-program.ts `portable`): the TCP program when L7 is
 * off. Anything else stays on `bpftrace -e`.
 *
 * bpftrace-aotrt 0.17 reads no environment: every map gets bpftrace's built-in size,
 * {@link AOT_MAP_KEYS} entries, whatever BPFTRACE_MAP_KEYS_MAX says (the caller moves to
 * `bpftrace -e` when that proves too small).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Entries per map under bpftrace-aotrt 0.17 (its built-in default). */
export const AOT_MAP_KEYS = 4096;

export interface AotProgram {
  /** The runtime binary (`bpftrace-aotrt`). */
  readonly runtime: string;
  /** The compiled program. */
  readonly file: string;
  /** Deletes the compiled program. */
  dispose(): Promise<void>;
}

/**
 * The runtime that goes with `bpftrace`: beside it when `bpftrace` is a path, else on PATH.
 * Resolves undefined when it is not installed.
 */
export async function findAotRuntime(bpftrace: string): Promise<string | undefined> {
  const runtime = isAbsolute(bpftrace) ? join(dirname(bpftrace), 'bpftrace-aotrt') : 'bpftrace-aotrt';
  if (isAbsolute(runtime) && !existsSync(runtime)) return undefined;
  try {
    await run(runtime, ['--version'], { timeout: 10_000 });
    return runtime;
  } catch {
    return undefined;
  }
}

/** Compiles `program` with `bpftrace --aot`; resolves with the result or why it failed. */
export async function compileAot(
  program: string,
  options: { readonly bpftrace: string; readonly runtime: string },
): Promise<AotProgram | { readonly error: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bpftrace-'));
  const file = join(dir, 'program.btaot');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await run(options.bpftrace, ['--aot', file, '-e', program], { timeout: 120_000 });
    if (!existsSync(file)) throw new Error('bpftrace wrote no compiled program');
    return { runtime: options.runtime, file, dispose };
  } catch (err) {
    await dispose();
    const stderr = (err as { stderr?: string }).stderr ?? '';
    const errors = stderr
      .split('\n')
      .filter((l) => l.includes('ERROR'))
      .join(' ');
    return { error: (errors === '' ? (err as Error).message : errors).slice(0, 500) };
  }
}
