/**
 * The agent's pino logger (JSON lines on stdout). The API key can reach a log line only by
 * mistake; it is redacted by path all the same.
 */
import { pino, type Logger } from 'pino';

export function createAgentLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'vigil-node-agent' },
    redact: { paths: ['apiKey', '*.apiKey', 'headers["x-api-key"]'], censor: '[redacted]' },
  });
}
