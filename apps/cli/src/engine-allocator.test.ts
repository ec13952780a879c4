import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./engine-allocator.ts', import.meta.url));

/** JE_MALLOC_CONF as a fresh process sees it after importing the module. */
function allocatorConfAfterImport(env: NodeJS.ProcessEnv): string {
  const script = `await import(${JSON.stringify(MODULE)}); process.stdout.write(process.env.JE_MALLOC_CONF ?? '<unset>');`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
  });
}

describe('engine allocator setting', () => {
  it('sets a 1 s dirty-page decay for chDB’s jemalloc when nothing is set', () => {
    const { JE_MALLOC_CONF: _, ...env } = process.env;
    expect(allocatorConfAfterImport(env)).toBe('dirty_decay_ms:1000');
  });

  it('keeps a value the user set', () => {
    expect(allocatorConfAfterImport({ ...process.env, JE_MALLOC_CONF: 'dirty_decay_ms:0' })).toBe(
      'dirty_decay_ms:0',
    );
  });
});
