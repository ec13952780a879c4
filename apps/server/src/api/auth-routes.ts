import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { ConfigDb } from '../configdb/index.ts';
import { SESSION_COOKIE, type ReadAuth } from '../auth/read-auth.ts';
import { readCookie, sessionCookie } from '../http/cookies.ts';

export interface AuthRouteDeps {
  db: ConfigDb;
  auth: ReadAuth;
  sessionTtlMs: number;
}

const loginBody = z.object({ username: z.string().min(1), password: z.string().min(1) });
const tokenBody = z.object({
  description: z.string().max(256).default(''),
  role: z.enum(['Viewer', 'Editor', 'Admin']).optional(),
  projectId: z.string().min(1).max(64).optional(),
});

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    throw new AppError(
      'bad_request',
      `invalid body: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}

/** Login/logout with a session cookie, and read API tokens managed by Admins. */
export async function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  app.post('/api/v1/login', async (req, reply) => {
    const { username, password } = parseBody(loginBody, req.body);
    const user = await deps.db.verifyPassword(username, password);
    if (!user) throw new AppError('unauthenticated', 'wrong username or password');
    const token = await deps.db.createSession(user.id, deps.sessionTtlMs);
    reply.header(
      'Set-Cookie',
      sessionCookie(SESSION_COOKIE, token, {
        maxAgeSeconds: Math.floor(deps.sessionTtlMs / 1000),
        secure: req.protocol === 'https',
      }),
    );
    return { user };
  });

  app.post('/api/v1/logout', async (req, reply) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await deps.db.deleteSession(token);
    reply.header(
      'Set-Cookie',
      sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: req.protocol === 'https' }),
    );
    return { ok: true };
  });

  app.get('/api/v1/me', async (req) => {
    const p = await deps.auth.principal(req.headers);
    return { kind: p.kind, id: p.id, role: p.role };
  });

  app.post('/api/v1/tokens', async (req, reply) => {
    const admin = await deps.auth.require(req.headers, 'Admin');
    if (admin.kind !== 'user') throw new AppError('forbidden', 'API tokens are created by a logged-in Admin');
    const body = parseBody(tokenBody, req.body);
    const created = await deps.db.createReadToken({
      createdBy: admin.id,
      description: body.description,
      ...(body.role ? { role: body.role } : {}),
      ...(body.projectId ? { projectId: body.projectId } : {}),
    });
    return reply.code(201).send(created);
  });

  app.get('/api/v1/tokens', async (req) => {
    await deps.auth.require(req.headers, 'Admin');
    return { tokens: await deps.db.listReadTokens() };
  });

  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', async (req, reply) => {
    await deps.auth.require(req.headers, 'Admin');
    await deps.db.revokeReadToken(req.params.id);
    return reply.code(204).send();
  });
}
