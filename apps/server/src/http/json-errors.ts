import type { FastifyInstance } from 'fastify';
import type { Logger } from '@vigil/core';
import { mapError } from './error-mapping.ts';

/** JSON API errors look like `{ "error": { "code": "bad_request", "message": "…" } }`. */
export function installJsonErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err, req, reply) => {
    const mapped = mapError(err);
    if (mapped.httpStatus >= 500) logger.error({ err, url: req.url }, 'request failed');
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
    return reply.code(mapped.httpStatus).send({ error: { code: mapped.code, message: mapped.message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route for ${req.method} ${req.url.split('?')[0]}` } }),
  );
}
