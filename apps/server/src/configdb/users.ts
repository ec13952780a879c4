import { randomUUID } from 'node:crypto';
import { AppError } from '@vigil/core';
import type { CreateUserInput, EnsureAdminOptions, User } from './config-db.ts';
import { dummyPasswordHash, hashPassword, verifyPasswordHash } from './passwords.ts';
import { int, role, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { check, schemas } from './validation.ts';

export function toUser(row: Row): User {
  return {
    id: text(row, 'id'),
    username: text(row, 'username'),
    role: role(row, 'role'),
    createdAt: int(row, 'created_at'),
  };
}

const takenUsername = (username: string): string => `username "${username}" is already taken`;

export async function createUser(db: Db, input: CreateUserInput): Promise<User> {
  const { username, password, role: userRole } = check(schemas.createUser, input);
  const user: User = { id: randomUUID(), username, role: userRole, createdAt: db.now() };
  const passwordHash = await hashPassword(password);
  await db.execute(
    sql`INSERT INTO users (id, username, password_hash, role, created_at)
        VALUES (${user.id}, ${username}, ${passwordHash}, ${userRole}, ${user.createdAt})`,
    { unique: takenUsername(username) },
  );
  return user;
}

/**
 * Bootstrap admin from the configuration. An existing user keeps its password (it may have
 * been changed in the UI since) unless a reset is asked for, which also restores the Admin
 * role, so a locked-out operator can recover by restarting with the reset flag.
 */
export async function ensureAdmin(
  db: Db,
  username: string,
  password: string,
  options: EnsureAdminOptions = {},
): Promise<User> {
  const name = check(schemas.username, username);
  const plain = check(schemas.password, password);
  const existing = await findByUsername(db, name);
  if (existing !== undefined && options.resetPassword !== true) return existing.user;
  // Hash only when needed: scrypt costs ~0.1 s, which would otherwise be paid at every start.
  const passwordHash = await hashPassword(plain);
  if (existing !== undefined) {
    await db.execute(
      sql`UPDATE users SET password_hash = ${passwordHash}, role = 'Admin' WHERE id = ${existing.user.id}`,
    );
  } else {
    // Another replica may insert the same admin meanwhile; the first one wins.
    await db.execute(
      sql`INSERT INTO users (id, username, password_hash, role, created_at)
          VALUES (${randomUUID()}, ${name}, ${passwordHash}, 'Admin', ${db.now()})
          ON CONFLICT (username) DO NOTHING`,
    );
  }
  const user = await findByUsername(db, name);
  if (user === undefined) throw new AppError('internal', `admin "${name}" vanished right after creation`);
  return user.user;
}

export async function verifyPassword(db: Db, username: string, password: string): Promise<User | null> {
  // Oversized or non-string input is rejected before scrypt, so it cannot be used to burn CPU.
  if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) return null;
  const found = schemas.username.safeParse(username).success ? await findByUsername(db, username) : undefined;
  if (found === undefined) {
    // Same work as a wrong password, so response time does not reveal which usernames exist.
    await verifyPasswordHash(password, await dummyPasswordHash());
    return null;
  }
  return (await verifyPasswordHash(password, found.passwordHash)) ? found.user : null;
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  if (typeof id !== 'string') return null;
  const row = await db.first(sql`SELECT id, username, role, created_at FROM users WHERE id = ${id}`);
  return row === undefined ? null : toUser(row);
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.query(sql`SELECT id, username, role, created_at FROM users ORDER BY username`);
  return rows.map(toUser);
}

async function findByUsername(
  db: Db,
  username: string,
): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db.first(
    sql`SELECT id, username, role, created_at, password_hash FROM users WHERE username = ${username}`,
  );
  return row === undefined ? undefined : { user: toUser(row), passwordHash: text(row, 'password_hash') };
}
