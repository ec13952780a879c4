#!/usr/bin/env node
// First: sets the engine's allocator options before @vigil/server loads chDB.
import './engine-allocator.ts';
import {
  ConfigError,
  describeSettings,
  loadServerConfig,
  startServer,
  type RunningServer,
} from '@vigil/server';
import { parseListen, startNodeAgent } from '@vigil/node-agent';
import { printBanner } from './banner.ts';

const USAGE = `Usage: vigil <command> [--flag value ...]

Commands:
  up        run everything on this machine with embedded storage (the all-in-one default)
  server    run the Vigil server only
  node-agent [--listen host:port]
            run the node agent (so far: the node's metrics on /metrics, and /health);
            VIGIL_NODE_AGENT_LISTEN, default :10300
  help      show this text

Server settings (flag, environment variable, meaning):
${describeSettings()}
  --config                   VIGIL_CONFIG                 YAML file with the settings above (snake_case keys)
`;

/** Stops `server` on the first SIGINT/SIGTERM; a second signal exits at once. */
function stopOnSignals(server: RunningServer): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      process.stderr.write(`received ${signal} again; exiting without waiting\n`);
      process.exit(1);
    }
    signalled = true;
    server.shutdown().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
    case 'server': {
      const config = loadServerConfig({ argv: rest, env: process.env });
      const server = await startServer(config);
      stopOnSignals(server);
      printBanner(server, command === 'up');
      return -1; // keep running
    }
    case 'node-agent': {
      const flag = rest.indexOf('--listen');
      const listen = flag >= 0 ? rest[flag + 1] : process.env.VIGIL_NODE_AGENT_LISTEN;
      const agent = await startNodeAgent({ listen: parseListen(listen ?? ':10300') });
      process.stdout.write(`Vigil node agent: ${agent.url}/metrics\n`);
      const stop = (): void => {
        agent.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError) process.stderr.write(`vigil: ${e.message}\n`);
    else process.stderr.write(`vigil: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
