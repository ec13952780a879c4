/**
 * The one way the UI talks to the server: JSON GETs and writes with the session cookie, errors
 * turned into ApiError with the server's message (shown in the page, never a blank screen).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Params = Readonly<Record<string, string | number | boolean | undefined>>;

/** `/api/v1/...` with the defined params as the query string. */
export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const qs = q.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

let onUnauthorized: (() => void) | undefined;

/**
 * What to do when the server answers 401 (no or expired session): the shell sends the user to
 * /login, remembering where they were. The login request itself is exempt: a wrong password is
 * an error for the form, not a redirect.
 */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

async function answer<T>(res: Response, path: string): Promise<T> {
  if (res.status === 401 && !path.startsWith('/api/v1/login')) onUnauthorized?.();
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  let message = `${res.status} ${res.statusText}`;
  try {
    // The server's errors are `{ "error": { "code", "message" } }` (apps/server/src/http/json-errors.ts).
    const body = (await res.json()) as { error?: string | { message?: string }; message?: string };
    const err = typeof body.error === 'object' ? body.error?.message : body.error;
    message = body.message ?? err ?? message;
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(res.status, message);
}

/** GET JSON from the API; throws ApiError with the server's message. */
export async function apiGet<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  return answer<T>(
    await fetch(apiUrl(path, params), { credentials: 'same-origin', signal: signal ?? null }),
    path,
  );
}

/** POST/PUT/DELETE JSON to the API; throws ApiError with the server's message. */
export async function apiSend<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    }),
    path,
  );
}
