import type { FastifyInstance } from 'fastify';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d2433}
code{background:#f1f3f7;padding:.1rem .3rem;border-radius:4px}h1{font-size:1.6rem}</style></head>
<body><h1>Vigil</h1>
<p>The server is running. The web UI is not part of this build yet; the JSON API is.</p>
<ul>
<li>Send telemetry: OTLP to <code>:4317</code> (gRPC) or <code>:4318</code> / this port (<code>/v1/traces</code>, <code>/v1/logs</code>) with the <code>X-API-Key</code> header.</li>
<li>Log in: <code>POST /api/v1/login</code> with <code>{"username":"admin","password":"…"}</code>.</li>
<li>Read: <code>/api/v1/traces</code>, <code>/api/v1/traces/&lt;id&gt;</code>, <code>/api/v1/logs</code>, <code>/api/v1/logs/histogram</code>, <code>/api/v1/services</code>.</li>
<li>Operate: <a href="/health">/health</a>, <a href="/ready">/ready</a>, <a href="/metrics">/metrics</a>.</li>
</ul></body></html>`;

/** What a browser sees at the address `vigil up` prints, until the web UI lands. */
export async function homePage(app: FastifyInstance): Promise<void> {
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
}
