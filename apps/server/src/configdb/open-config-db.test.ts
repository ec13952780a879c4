import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { openConfigDb } from './open-config-db.ts';
import { expectError } from './test-backends.ts';

describe('openConfigDb', () => {
  it('reports an unreachable Postgres as unavailable without echoing the password', async () => {
    const err = await openConfigDb({
      dataDir: '/nonexistent',
      pgUrl: 'postgres://vigil:s3cret@127.0.0.1:1/db',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'unavailable', message: expect.stringContaining('127.0.0.1:1/db') });
    expect((err as Error).message).not.toContain('s3cret');
  });

  it('reports a data directory it cannot create as unavailable', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      writeFileSync(path.join(dir, 'file'), '');
      await expectError(
        openConfigDb({ dataDir: path.join(dir, 'file', 'data') }),
        'unavailable',
        /cannot open/,
      );
    } finally {
      cleanup();
    }
  });

  it('refuses a Postgres schema without a Postgres URL', async () => {
    await expectError(
      openConfigDb({ dataDir: '/nonexistent', pgSchema: 's' }),
      'bad_request',
      /without a Postgres URL/,
    );
  });
});
