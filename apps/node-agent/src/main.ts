/**
 * The agent on its own, without the rest of `vigil`: the entry of the bundle
 * `npm run build:node-agent` writes (dist/vigil-node-agent.mjs), which runs without tsx and so
 * in less memory (docs/perf.md). Same settings as `vigil node-agent`.
 */
import { createAgentLogger } from './logging.ts';
import { applyAgentProcessSettings } from './process-settings.ts';
import { runNodeAgent } from './run.ts';

applyAgentProcessSettings(process.env);

const agent = await runNodeAgent(
  process.argv.slice(2),
  process.env,
  createAgentLogger(process.env.VIGIL_LOG_LEVEL ?? 'info'),
);
process.stdout.write(`Vigil node agent: ${agent.url}/metrics\n`);
let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) process.exit(1);
  stopping = true;
  process.stderr.write(`received ${signal}: stopping\n`);
  agent.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
