/** A pusher on a fresh spool in a temp directory, with short backoffs, for tests. */
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { openDiskSpool, type DiskSpool } from '../disk-spool.ts';
import { startPusher, type PusherOptions, type RemoteWritePusher } from '../remote-write-pusher.ts';
import { captureLogger } from './test-helpers.ts';

export interface PusherFixture {
  readonly pusher: RemoteWritePusher;
  readonly spool: DiskSpool;
  readonly logger: ReturnType<typeof captureLogger>;
  readonly spoolDir: string;
  /** Stops the pusher and removes the temp directory. */
  cleanup(): Promise<void>;
}

export async function startTestPusher(
  collectorUrl: string,
  options: Partial<Omit<PusherOptions, 'collectorUrl' | 'spool' | 'logger'>> & { spoolDir?: string } = {},
): Promise<PusherFixture> {
  const temp = options.spoolDir === undefined ? makeTempDir('vigil-pusher-') : undefined;
  const spoolDir = options.spoolDir ?? path.join(temp!.dir, 'spool');
  const spool = await openDiskSpool(spoolDir);
  const logger = captureLogger();
  const pusher = startPusher({
    version: '1.2.3',
    backoff: { initialMs: 10, maxMs: 80 },
    ...options,
    collectorUrl,
    spool,
    logger,
  });
  return {
    pusher,
    spool,
    logger,
    spoolDir,
    async cleanup() {
      await pusher.stop();
      temp?.cleanup();
    },
  };
}
