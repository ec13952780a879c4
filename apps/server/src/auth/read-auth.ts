import { AppError } from '@vigil/core';
import type { ConfigDb, Role } from '../configdb/index.ts';
import { readCookie } from '../http/cookies.ts';

export const SESSION_COOKIE = 'vigil_session';

/** Who is reading: a logged-in user, a read token, or an anonymous visitor with the configured role. */
export interface Principal {
  kind: 'user' | 'token' | 'anonymous';
  id: string;
  role: Role;
  /** Absent: every project. */
  projectId?: string;
}

const RANK: Record<Role, number> = { Viewer: 1, Editor: 2, Admin: 3 };

export function hasRole(p: Principal, needed: Role): boolean {
  return RANK[p.role] >= RANK[needed];
}

export interface ReadAuthHeaders {
  cookie?: string;
  authorization?: string;
}

/**
 * Authenticates reads (UI, JSON API, Prometheus query API). Ingestion keys are deliberately not
 * accepted here: an agent's key can write but must never read.
 */
export class ReadAuth {
  constructor(
    private readonly db: ConfigDb,
    private readonly anonymousRole: Role | undefined,
  ) {}

  async principal(headers: ReadAuthHeaders): Promise<Principal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer) {
      const grant = await this.db.findReadToken(bearer);
      if (!grant)
        throw new AppError('unauthenticated', 'invalid or revoked API token in the Authorization header');
      return {
        kind: 'token',
        id: grant.id,
        role: grant.role,
        ...(grant.projectId ? { projectId: grant.projectId } : {}),
      };
    }
    const sessionToken = readCookie(headers.cookie, SESSION_COOKIE);
    if (sessionToken) {
      const session = await this.db.findSession(sessionToken);
      if (session) return { kind: 'user', id: session.user.id, role: session.user.role };
    }
    if (this.anonymousRole) return { kind: 'anonymous', id: 'anonymous', role: this.anonymousRole };
    throw new AppError(
      'unauthenticated',
      'login required: POST /api/v1/login, or send a read API token as "Authorization: Bearer <token>"',
    );
  }

  async require(headers: ReadAuthHeaders, role: Role): Promise<Principal> {
    const p = await this.principal(headers);
    if (!hasRole(p, role)) throw new AppError('forbidden', `this needs the ${role} role; you have ${p.role}`);
    return p;
  }

  /**
   * The project a reader (Viewer or above) reads: the one asked for, else its token's, else the
   * default. A token bound to a project may read only that one.
   */
  async readableProject(
    headers: ReadAuthHeaders,
    requested: string | undefined,
    defaultProject: string,
  ): Promise<string> {
    const principal = await this.require(headers, 'Viewer');
    const project = requested ?? principal.projectId ?? defaultProject;
    if (principal.projectId && principal.projectId !== project) {
      throw new AppError('forbidden', `this token may only read project "${principal.projectId}"`);
    }
    return project;
  }
}
