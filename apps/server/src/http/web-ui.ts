/**
 * Serves the web UI's production build (apps/web/dist) on the API port:
 *
 * - `/assets/*`: Vite's content-hashed files, cached for a year (a new build has new names);
 * - any other file at the build's top level (favicon…), cached briefly;
 * - `index.html` with `no-cache`, at `/` and for every unknown GET path that is not an API path,
 *   so a client-side route (`/apps/x`) survives a reload;
 * - API prefixes (`/api`, `/v1`, `/health`, `/ready`, `/metrics`, `/debug`) never fall back: an
 *   unknown one is a JSON 404, as before, so a typo in a script does not come back as HTML 200.
 *
 * Without a build, `/` shows the plain home page saying how to build. The build is looked up per
 * request (a stat), so `npm run build:web` while the server runs is picked up without a restart.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HOME_PAGE_HTML } from './home-page.ts';

/** apps/web/dist, next to this package in the repository. */
export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface WebUiOptions {
  /** The Vite build's output directory; DEFAULT_WEB_DIST_DIR unless a test gives its own. */
  readonly distDir?: string;
}

const API_PREFIXES = ['/api', '/v1', '/health', '/ready', '/metrics', '/debug'];
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Whether `pathname` belongs to the API, which never gets the SPA's index.html. */
export function isApiPath(pathname: string): boolean {
  return API_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * The file under `root` that `pathname` names, or undefined when it would leave `root`
 * (`..`, an encoded `%2e%2e%2f`, a NUL, a backslash) or cannot be decoded.
 */
export function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  // Backslashes are separators on Windows; NUL truncates paths in some APIs. Neither is in a build.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function notFound(reply: FastifyReply, url: string, method: string): FastifyReply {
  return reply
    .code(404)
    .send({ error: { code: 'not_found', message: `no route for ${method} ${url.split('?')[0]}` } });
}

/** Registers `/` and the GET catch-all; register it with the other routes of the API port. */
export async function webUi(app: FastifyInstance, opts: WebUiOptions): Promise<void> {
  const root = path.resolve(opts.distDir ?? DEFAULT_WEB_DIST_DIR);
  const indexFile = path.join(root, 'index.html');

  const sendIndex = async (reply: FastifyReply): Promise<FastifyReply> => {
    if (!(await isFile(indexFile))) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(HOME_PAGE_HTML);
    }
    // no-cache: the page names the current hashed assets, so it must be revalidated every time.
    return reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await readFile(indexFile));
  };

  app.get('/', async (_req, reply) => sendIndex(reply));

  app.get('/*', async (req, reply) => {
    const pathname = req.url.split('?')[0] ?? '/';
    if (isApiPath(pathname)) return notFound(reply, req.url, req.method);
    const file = resolveInside(root, pathname);
    if (file === undefined) return notFound(reply, req.url, req.method);
    if (file !== indexFile && (await isFile(file))) {
      const ext = path.extname(file);
      const hashed = pathname.startsWith('/assets/');
      return reply
        .header('cache-control', hashed ? IMMUTABLE : 'public, max-age=300')
        .type(CONTENT_TYPES[ext] ?? 'application/octet-stream')
        .send(await readFile(file));
    }
    // A missing asset is a 404, not index.html: HTML served as a script fails obscurely. Other
    // dotted paths fall back: application ids such as `/systemd/nginx.service` are routes.
    const ext = path.extname(pathname);
    if (pathname.startsWith('/assets/') || (ext !== '.html' && CONTENT_TYPES[ext] !== undefined)) {
      return notFound(reply, req.url, req.method);
    }
    return sendIndex(reply);
  });
}
