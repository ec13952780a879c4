#!/usr/bin/env node
// First: sets the engine's allocator options before @vigil/server loads chDB.
import './engine-allocator.ts';
// The server (and with it the embedded engine, hundreds of MB) loads only for `up` and `server`:
// `vigil node-agent` stays small.
import { applyAgentProcessSettings, createAgentLogger, runNodeAgent } from '@vigil/node-agent';
import type { RunningServer } from '@vigil/server';
import { printBanner } from './banner.ts';
import { startLocalClusterAgent } from './cluster-agent-command.ts';
import { startLocalAgent } from './node-agent-command.ts';
import { LOG_PATTERNS_USAGE, runLogPatternsCommand } from './log-patterns-command.ts';

const usage = (describeSettings: () => string): string => `Usage: vigil <command> [--flag value ...]

Commands:
  up        run everything on this machine with embedded storage (the all-in-one default):
            the server, a node agent and a cluster agent pushing to it (VIGIL_NODE_AGENT=off and
            VIGIL_CLUSTER_AGENT=off leave them out)
  server    run the Vigil server only
  node-agent [--listen host:port]
            run the node agent: this node's processes, containers, connections (eBPF as
            root with bpftrace, else procfs) on /metrics and /health, pushed to a server.
            VIGIL_NODE_AGENT_LISTEN (default :10300), VIGIL_COLLECTOR_URL (alias
            COLLECTOR_ENDPOINT; unset: no push), VIGIL_API_KEY (alias API_KEY),
            VIGIL_SCRAPE_INTERVAL (default 15s), VIGIL_DATA_DIR (spool), VIGIL_SPOOL_MAX_BYTES
            (default 500MB), VIGIL_EBPF=off (procfs only)
  cluster-agent [--listen host:port]
            run the cluster agent: database metrics (Postgres, MySQL, Redis, Memcached, MongoDB) from the
            targets the server lists at /v1/config (polled every 60 s) and VIGIL_CLUSTER_TARGETS
            (JSON), on /metrics and /health, pushed to the server. VIGIL_CLUSTER_AGENT_LISTEN
            (default :10301), VIGIL_COLLECTOR_URL (alias COROOT_URL), VIGIL_API_KEY (alias
            API_KEY), VIGIL_SCRAPE_INTERVAL (default 15s), VIGIL_DATA_DIR (spool)
${LOG_PATTERNS_USAGE}
  help      show this text

Server settings (flag, environment variable, meaning):
${describeSettings()}
  --config                   VIGIL_CONFIG                 YAML file with the settings above (snake_case keys)
`;

/** Stops the agent, then the server, on the first SIGINT/SIGTERM; a second signal exits at once. */
function stopOnSignals(
  server: RunningServer | undefined,
  ...agents: Array<{ stop(): Promise<void> } | undefined>
): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      process.stderr.write(`received ${signal} again; exiting without waiting\n`);
      process.exit(1);
    }
    signalled = true;
    (async () => {
      for (const agent of agents) await agent?.stop();
      await server?.shutdown();
    })().then(
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
      const { loadServerConfig, startServer } = await import('@vigil/server');
      const config = loadServerConfig({ argv: rest, env: process.env });
      const server = await startServer(config);
      const agent = command === 'up' ? await startLocalAgent(server, process.env) : undefined;
      const clusterAgent = command === 'up' ? await startLocalClusterAgent(server, process.env) : undefined;
      stopOnSignals(server, agent, clusterAgent);
      printBanner(server, command === 'up', agent?.url);
      return -1; // keep running
    }
    case 'node-agent': {
      applyAgentProcessSettings(process.env);
      const logger = createAgentLogger(process.env.VIGIL_LOG_LEVEL ?? 'info');
      const agent = await runNodeAgent(rest, process.env, logger);
      process.stdout.write(`Vigil node agent: ${agent.url}/metrics\n`);
      stopOnSignals(undefined, agent);
      return -1;
    }
    case 'cluster-agent': {
      const { runClusterAgent } = await import('@vigil/cluster-agent');
      const logger = createAgentLogger(process.env.VIGIL_LOG_LEVEL ?? 'info');
      const agent = await runClusterAgent(rest, process.env, logger);
      process.stdout.write(`Vigil cluster agent: http://127.0.0.1:${agent.port}/metrics\n`);
      stopOnSignals(undefined, agent);
      return -1;
    }
    case 'log-patterns':
      return runLogPatternsCommand(rest, process.stdin, process.stdout, process.stderr);
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      const { describeSettings } = await import('@vigil/server');
      process.stdout.write(usage(describeSettings));
      return command === undefined ? 2 : 0;
    }
    default: {
      const { describeSettings } = await import('@vigil/server');
      process.stderr.write(`unknown command "${command}"\n\n${usage(describeSettings)}`);
      return 2;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if ((e as Error).name === 'ConfigError') process.stderr.write(`vigil: ${(e as Error).message}\n`);
    else process.stderr.write(`vigil: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
