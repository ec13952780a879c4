import type { FastifyRequest } from 'fastify';
import { AppError } from '@vigil/core';
import type { Principal, ReadAuth } from '../auth/read-auth.ts';

/**
 * An Admin who may manage what spans every project (users, the project list). A read token
 * bound to one project is refused even with the Admin role: it was granted for that project
 * only, and users and projects are not inside any project.
 */
export async function requireGlobalAdmin(auth: ReadAuth, req: FastifyRequest): Promise<Principal> {
  const principal = await auth.require(req.headers, 'Admin');
  if (principal.projectId !== undefined) {
    throw new AppError('forbidden', `this token may only access project "${principal.projectId}"`);
  }
  return principal;
}

/** An Admin of `project`: any Admin, or an Admin token bound to that project. */
export async function requireProjectAdmin(
  auth: ReadAuth,
  req: FastifyRequest,
  project: string,
): Promise<Principal> {
  const principal = await auth.require(req.headers, 'Admin');
  if (principal.projectId !== undefined && principal.projectId !== project) {
    throw new AppError('forbidden', `this token may only access project "${principal.projectId}"`);
  }
  return principal;
}
