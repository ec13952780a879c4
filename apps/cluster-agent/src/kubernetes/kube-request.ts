/**
 * GET requests to the API server, answered as the JSON the server sent. Lists and secret reads go
 * through here rather than the generated clients because those turn timestamps into `Date`s,
 * while watch events (the library's `Watch`) arrive as plain JSON: keeping one shape for every
 * object means a pod from a list and the same pod from a watch event compare and render alike.
 * Authentication and TLS come from the KubeConfig (`applyToHTTPSOptions`), as for the library's
 * own requests.
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A non-2xx answer of the API server, with the Status object's reason when it sent one. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** The server address of the current context, without a trailing slash. */
export function serverUrl(kubeConfig: KubeConfig): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return cluster.server.replace(/\/+$/, '');
}

/** GET `path` (with its query) and parse the answer; a non-2xx answer throws KubeApiError. */
export async function getJson(
  kubeConfig: KubeConfig,
  path: string,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<unknown> {
  const url = new URL(serverUrl(kubeConfig) + path);
  const opts: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await kubeConfig.applyToHTTPSOptions(opts);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { ...opts, timeout: options.timeoutMs, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        if (status < 200 || status > 299) {
          const s = body as { message?: unknown; reason?: unknown } | undefined;
          const message = typeof s?.message === 'string' ? s.message : text.slice(0, 200);
          reject(
            new KubeApiError(
              status,
              `GET ${url.pathname}: ${status} ${message}`,
              typeof s?.reason === 'string' ? s.reason : undefined,
            ),
          );
        } else if (body === undefined) reject(new Error(`GET ${url.pathname}: the answer is not JSON`));
        else resolve(body);
      });
    });
    // A request that connected but hangs would otherwise hold a watch loop forever.
    req.on('timeout', () =>
      req.destroy(new Error(`GET ${url.pathname}: no answer in ${options.timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP status of an error from a request or a watch, when it has one. */
export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof KubeApiError) return err.statusCode;
  const e = err as { statusCode?: unknown; code?: unknown } | null;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.code === 'number') return e.code;
  return undefined;
}
