import { pino, type Logger as PinoLogger } from 'pino';

/**
 * The server's pino logger. Secrets that can reach a log line (keys, tokens, passwords, cookies)
 * are redacted by path, because one stray `logger.info({ req })` must not leak an API key.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { service: 'vigil' },
      redact: {
        paths: [
          'apiKey',
          'password',
          'adminPassword',
          'token',
          '*.apiKey',
          '*.password',
          '*.token',
          'req.headers["x-api-key"]',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers["x-api-key"]',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
