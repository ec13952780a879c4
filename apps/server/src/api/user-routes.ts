/**
 * Users and their roles (Admin only; tokens bound to a project are refused):
 * - `GET /api/v1/users` → `{ users: [{ id, username, role, createdAt }] }`
 * - `POST /api/v1/users` `{ username, password, role }` → 201 user (never the password)
 * - `PUT /api/v1/users/:id` `{ role?, password? }` → user; a new password ends the user's other
 *   sessions; demoting the last Admin → 409
 * - `DELETE /api/v1/users/:id` → 204; the last Admin → 409, yourself → 409 (ask another Admin,
 *   so nobody locks themselves out by a slip)
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import { SESSION_COOKIE, type ReadAuth } from '../auth/read-auth.ts';
import { ROLES, type ConfigDb, type Role } from '../configdb/index.ts';
import { schemas } from '../configdb/validation.ts';
import { readCookie } from '../http/cookies.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import { requireGlobalAdmin } from './admin-auth.ts';

/** Dependencies of {@link userRoutes}. */
export interface UserRouteDeps {
  readonly db: ConfigDb;
  readonly auth: ReadAuth;
}

const role = z.enum(ROLES as [Role, ...Role[]], { error: `role must be one of ${ROLES.join(', ')}` });
// Username and password rules (length, characters) are the config DB's, with its messages;
// checked here too so that a PUT with a bad password changes nothing, not even the role.
const createBody = z.object(
  { username: schemas.username, password: schemas.password, role },
  { error: 'the body must be a JSON object with username, password and role' },
);
const updateBody = z
  .strictObject(
    { role: role.optional(), password: schemas.password.optional() },
    { error: 'the body must be a JSON object with role and/or password' },
  )
  .refine((b) => b.role !== undefined || b.password !== undefined, {
    error: 'nothing to change: send role and/or password',
  });

/** Registers the user management routes. */
export async function userRoutes(app: FastifyInstance, deps: UserRouteDeps): Promise<void> {
  app.get('/api/v1/users', async (req) => {
    await requireGlobalAdmin(deps.auth, req);
    return { users: await deps.db.listUsers() };
  });

  app.post('/api/v1/users', async (req, reply) => {
    await requireGlobalAdmin(deps.auth, req);
    const body = parseOrBadRequest(createBody, req.body ?? {}, 'user');
    return reply.code(201).send(await deps.db.createUser(body));
  });

  app.put<{ Params: { id: string } }>('/api/v1/users/:id', async (req) => {
    await requireGlobalAdmin(deps.auth, req);
    const body = parseOrBadRequest(updateBody, req.body ?? {}, 'user');
    // Role first: when it is refused (last Admin), the password is left unchanged too.
    let user = body.role === undefined ? undefined : await deps.db.setUserRole(req.params.id, body.role);
    if (body.password !== undefined) {
      const own = readCookie(req.headers.cookie, SESSION_COOKIE);
      user = await deps.db.setUserPassword(req.params.id, body.password, own);
    }
    return user;
  });

  app.delete<{ Params: { id: string } }>('/api/v1/users/:id', async (req, reply) => {
    const principal = await requireGlobalAdmin(deps.auth, req);
    if (principal.kind === 'user' && principal.id === req.params.id) {
      throw new AppError('conflict', 'you cannot delete your own account: ask another Admin');
    }
    await deps.db.deleteUser(req.params.id);
    return reply.code(204).send();
  });
}
