import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { installJsonErrorHandler } from './json-errors.ts';
import { resolveInside, webUi } from './web-ui.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as never;

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installJsonErrorHandler(app, silent);
  await app.register(webUi, { distDir });
  app.get('/api/v1/me', async () => ({ kind: 'anonymous' }));
  await app.ready();
  return app;
}

describe('the web UI build served on the API port', () => {
  const tmp = makeTempDir('vigil-web-ui-');
  const dist = path.join(tmp.dir, 'dist');
  let app: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'assets', 'index-AbC123.css'), 'body{}');
    // A secret next to the build: traversal must never reach it.
    writeFileSync(path.join(tmp.dir, 'secret.txt'), 'do not serve');
    app = await appServing(dist);
  });
  afterAll(async () => {
    await app.close();
    tmp.cleanup();
  });

  it('serves a hashed asset with its content type and a year-long immutable cache', async () => {
    const res = await app.inject({ url: '/assets/index-AbC123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log(1)');
    const css = await app.inject({ url: '/assets/index-AbC123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves index.html at / without caching', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('id="root"');
  });

  it.each(['/apps/x', '/apps/%2Fk8s%2Fshop%2Fapi?report=CPU', '/apps/%2Fsystemd%2Fnginx.service', '/login'])(
    'falls back to index.html for the client-side route %s',
    async (url) => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('id="root"');
    },
  );

  it.each(['/api/unknown', '/api/v1/nope', '/v1/whatever', '/health/x', '/metrics/x', '/debug/pprof'])(
    'answers the API path %s with a JSON 404, never the page',
    async (url) => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    },
  );

  it('leaves registered API routes alone', async () => {
    const res = await app.inject({ url: '/api/v1/me' });
    expect(res.json()).toEqual({ kind: 'anonymous' });
  });

  it('answers a missing asset with 404 instead of HTML', async () => {
    expect((await app.inject({ url: '/assets/gone-123.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/favicon.png' })).statusCode).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets/%00.js',
  ])('refuses the traversal %s', async (url) => {
    const res = await app.inject({ url });
    expect(res.body).not.toContain('do not serve');
    // Either refused outright or answered with the page; never the file outside the build.
    expect([200, 404]).toContain(res.statusCode);
  });

  it('shows the home page with build instructions when there is no build', async () => {
    const bare = await appServing(path.join(tmp.dir, 'no-such-dist'));
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build:web');
    await bare.close();
  });
});

describe('resolveInside', () => {
  it.each([
    ['/assets/a.js', '/srv/dist/assets/a.js'],
    ['/a%20b.txt', '/srv/dist/a b.txt'],
    ['/../etc/passwd', '/srv/dist/etc/passwd'],
    ['/%2e%2e%2fetc%2fpasswd', '/srv/dist/etc/passwd'],
    ['/%E0%A4%A', undefined],
    ['/a%00b', undefined],
    ['/..%5c..%5cwin.ini', undefined],
  ])('%s → %s', (url, want) => {
    expect(resolveInside('/srv/dist', url)).toBe(want);
  });
});
