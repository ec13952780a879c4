import type { FastifyInstance } from 'fastify';

/** Shown at `/` when the web UI has not been built (apps/web/dist is missing). */
export const HOME_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d2433}
code{background:#f1f3f7;padding:.1rem .3rem;border-radius:4px}h1{font-size:1.6rem}</style></head>
<body><h1>Vigil</h1>
<p>The server is running, but the web UI has not been built. Build it with <code>npm run build:web</code>
(<code>npm start</code> does this for you) and reload this page. The JSON API works either way.</p>
<ul>
<li>Send telemetry: OTLP to <code>:4317</code> (gRPC) or <code>:4318</code> / this port (<code>/v1/traces</code>, <code>/v1/logs</code>) with the <code>X-API-Key</code> header.</li>
<li>Log in: <code>POST /api/v1/login</code> with <code>{"username":"admin","password":"…"}</code>.</li>
<li>Read: <code>/api/v1/traces</code>, <code>/api/v1/traces/&lt;id&gt;</code>, <code>/api/v1/logs</code>, <code>/api/v1/logs/histogram</code>, <code>/api/v1/services</code>.</li>
<li>Operate: <a href="/health">/health</a>, <a href="/ready">/ready</a>, <a href="/metrics">/metrics</a>.</li>
</ul></body></html>`;

/** What a browser sees at `/` when there is no web UI build; web-ui.ts decides when. */
export async function homePage(app: FastifyInstance): Promise<void> {
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(HOME_PAGE_HTML));
}
