/**
 * Entry point of the emulator process:
 *
 *   node --import tsx packages/testkit/src/clickhouse-http/server.ts \
 *     --data-dir /tmp/ch --port 0 [--host 127.0.0.1] [--user u --password p] [--compatibility 24.8] [--timezone Asia/Kolkata]
 *
 * (the password may come from CLICKHOUSE_EMULATOR_PASSWORD instead, to keep it out of `ps`).
 *
 * Prints one JSON line `{"port":N,"version":"…"}` on stdout once it accepts connections, and exits
 * on SIGTERM/SIGINT after closing the engine. It runs in its own process because chDB binds one
 * data directory per process, and the process under test may have its own.
 */
import { parseArgs } from 'node:util';
import { createEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    user: { type: 'string', default: 'default' },
    password: { type: 'string', default: process.env.CLICKHOUSE_EMULATOR_PASSWORD ?? '' },
    compatibility: { type: 'string' },
    timezone: { type: 'string' },
    // Set by the launcher: the parent holds our stdin, so its end means the parent is gone.
    'exit-on-stdin-close': { type: 'boolean', default: false },
  },
});

const dataDir = values['data-dir'];
if (!dataDir) {
  process.stderr.write('--data-dir is required\n');
  process.exit(2);
}

const emulator = await createEmulator({
  dataDir,
  user: values.user,
  password: values.password,
  ...(values.compatibility ? { compatibility: values.compatibility } : {}),
  ...(values.timezone ? { timezone: values.timezone } : {}),
});
emulator.server.listen(Number(values.port), values.host, () => {
  const address = emulator.server.address();
  const port = typeof address === 'object' && address ? address.port : Number(values.port);
  process.stdout.write(`${JSON.stringify({ port, version: emulator.engine.version })}\n`);
});

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`close failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
if (values['exit-on-stdin-close']) {
  process.stdin.once('end', stop).once('close', stop).resume();
}
