/**
 * A Kubernetes API server for tests, in-process on 127.0.0.1 (a random port), serving recorded
 * objects in the real wire format: no API server can run on these machines.
 *
 *   GET <collection>                       a List (`kind: PodList`, metadata.resourceVersion,
 *                                          limit/continue pages)
 *   GET <collection>?watch=true            newline-delimited {"type","object"} events from the
 *       &resourceVersion=N                 given version on (replayed from history, then live);
 *       &allowWatchBookmarks=true          BOOKMARK only when asked; ends after timeoutSeconds;
 *       &timeoutSeconds=S                  a version older than the kept history gets the real
 *                                          server's answer: 200 + ERROR Status 410 "too old"
 *   GET /api/v1/namespaces/N/secrets/M     one Secret, or 404 Status
 *
 * Resource versions are one global counter, like etcd's revision. A test changes the state with
 * add/update/remove (pushed to open watches), drops connections, forgets history (→ 410) and
 * injects failures (failNext), and reads `requests` to see what the client asked.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

type Obj = { metadata: { name: string; namespace?: string; resourceVersion?: string } } & Record<
  string,
  unknown
>;

interface Collection {
  readonly kind: string;
  readonly apiVersion: string;
  readonly items: Map<string, Obj>;
}

interface HistoryEvent {
  readonly rv: number;
  readonly path: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Obj;
}

interface OpenWatch {
  readonly path: string;
  readonly res: ServerResponse;
  readonly bookmarks: boolean;
}

/** A request the server received: path and query. */
export interface RecordedRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly watch: boolean;
}

const keyOf = (o: Obj) =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly collections = new Map<string, Collection>();
  private readonly secrets = new Map<string, Obj>();
  private readonly history: HistoryEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly failures = new Map<string, { status: number; reason: string; times: number }>();
  private rv = 1000;
  /** Versions at or below this are gone from history (a watch from them gets 410). */
  private compactedRv = 0;

  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  url = '';

  /** Starts a server on 127.0.0.1 (a port of the system's choice) with nothing in it. */
  static async start(): Promise<FakeApiServer> {
    const self = new FakeApiServer();
    await new Promise<void>((resolve) => self.server.listen(0, '127.0.0.1', resolve));
    self.url = `http://127.0.0.1:${(self.server.address() as AddressInfo).port}`;
    return self;
  }

  /** A real KubeConfig pointing at this server (plain HTTP, so TLS verification is off). */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'agent', token: 'test-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'agent' }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** Serves `list` (a recorded `kind: …List`) as the collection at `path`. */
  load(path: string, list: { kind: string; apiVersion: string; items: readonly object[] }): void {
    const items = new Map<string, Obj>();
    for (const item of list.items) {
      const { kind: _kind, apiVersion: _apiVersion, ...o } = structuredClone(item) as Obj;
      o.metadata.resourceVersion = String(++this.rv);
      items.set(keyOf(o as Obj), o as Obj);
    }
    this.collections.set(path, { kind: list.kind, apiVersion: list.apiVersion, items });
  }

  /** Makes a Secret readable by name. */
  putSecret(secret: object): void {
    const s = structuredClone(secret) as Obj;
    this.secrets.set(`${s.metadata.namespace}/${s.metadata.name}`, s);
  }

  add(path: string, object: object): void {
    this.change(path, 'ADDED', object as Obj);
  }

  update(path: string, object: object): void {
    this.change(path, 'MODIFIED', object as Obj);
  }

  remove(path: string, namespace: string | undefined, name: string): void {
    const c = this.collection(path);
    const key = namespace ? `${namespace}/${name}` : name;
    const old = c.items.get(key);
    if (old) this.change(path, 'DELETED', old);
  }

  /** Sends a BOOKMARK at the current version to watches of `path` that asked for bookmarks. */
  bookmark(path: string): void {
    const c = this.collection(path);
    const object = {
      kind: c.kind.replace(/List$/, ''),
      apiVersion: c.apiVersion,
      metadata: { resourceVersion: String(this.rv) },
    };
    for (const w of this.watches)
      if (w.path === path && w.bookmarks) this.send(w.res, { type: 'BOOKMARK', object });
  }

  /** Open watch connections (of `path`, or all). */
  openWatches(path?: string): number {
    return [...this.watches].filter((w) => path === undefined || w.path === path).length;
  }

  /** Cuts every open watch connection (of `path`, or all), as a proxy restart would. */
  dropWatches(path?: string): void {
    for (const w of [...this.watches]) {
      if (path !== undefined && w.path !== path) continue;
      // Out of the set now: 'close' comes later, and a change made meanwhile must not write to it.
      this.watches.delete(w);
      w.res.destroy();
    }
  }

  /** Forgets history up to now: a watch or continue token from an older version gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** The next `times` requests to `path` (list, watch or secret) get `statusCode`. */
  failNext(path: string, statusCode: number, reason: string, times = 1): void {
    this.failures.set(path, { status: statusCode, reason, times });
  }

  listRequests(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && !r.watch);
  }

  watchRequests(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && r.watch);
  }

  async close(): Promise<void> {
    this.dropWatches();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private collection(path: string): Collection {
    const c = this.collections.get(path);
    if (!c) throw new Error(`no collection loaded at ${path}`);
    return c;
  }

  private change(path: string, type: HistoryEvent['type'], input: Obj): void {
    const c = this.collection(path);
    const { kind: _kind, apiVersion: _apiVersion, ...object } = structuredClone(input);
    object.metadata.resourceVersion = String(++this.rv);
    if (type === 'DELETED') c.items.delete(keyOf(object as Obj));
    else c.items.set(keyOf(object as Obj), object as Obj);
    const ev: HistoryEvent = { rv: this.rv, path, type, object: this.typed(c, object as Obj) };
    this.history.push(ev);
    for (const w of this.watches) if (w.path === path) this.send(w.res, { type, object: ev.object });
  }

  /** Watch events carry kind and apiVersion on the object; list items do not. */
  private typed(c: Collection, object: Obj): Obj {
    return { kind: c.kind.replace(/List$/, ''), apiVersion: c.apiVersion, ...object };
  }

  private send(res: ServerResponse, event: object): void {
    if (res.destroyed || res.writableEnded) return;
    res.write(`${JSON.stringify(event)}\n`);
  }

  private reply(res: ServerResponse, code: number, body: object): void {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    this.requests.push({ path: url.pathname, query: url.searchParams, watch });
    const failure = this.failures.get(url.pathname);
    if (failure && failure.times > 0) {
      failure.times--;
      this.reply(res, failure.status, status(failure.status, failure.reason, `injected ${failure.reason}`));
      return;
    }
    const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(url.pathname);
    if (secret) {
      const s = this.secrets.get(`${decodeURIComponent(secret[1]!)}/${decodeURIComponent(secret[2]!)}`);
      if (s) this.reply(res, 200, s);
      else this.reply(res, 404, status(404, 'NotFound', `secrets "${secret[2]}" not found`));
      return;
    }
    const c = this.collections.get(url.pathname);
    if (!c) {
      this.reply(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    if (watch) this.serveWatch(url, c, res);
    else this.serveList(url, c, res);
  }

  private serveList(url: URL, c: Collection, res: ServerResponse): void {
    const all = [...c.items.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    let offset = 0;
    let snapshotRv = this.rv;
    const token = url.searchParams.get('continue');
    if (token) {
      const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        offset: number;
        rv: number;
      };
      if (t.rv <= this.compactedRv) {
        this.reply(
          res,
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result.',
          ),
        );
        return;
      }
      offset = t.offset;
      snapshotRv = t.rv;
    }
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const next = offset + page.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshotRv) };
    if (limit > 0 && next < all.length) {
      metadata.continue = Buffer.from(JSON.stringify({ offset: next, rv: snapshotRv })).toString('base64url');
      metadata.remainingItemCount = all.length - next;
    }
    this.reply(res, 200, { kind: c.kind, apiVersion: c.apiVersion, metadata, items: page });
  }

  private serveWatch(url: URL, c: Collection, res: ServerResponse): void {
    const path = url.pathname;
    const from = url.searchParams.get('resourceVersion') ?? '';
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // The API server sends the headers at once; Node would hold them until the first event.
    res.flushHeaders();
    if (from !== '' && from !== '0' && Number(from) < this.compactedRv) {
      const message = `too old resource version: ${from} (${this.compactedRv})`;
      this.send(res, { type: 'ERROR', object: status(410, 'Expired', message) });
      res.end();
      return;
    }
    if (from === '' || from === '0') {
      for (const object of c.items.values()) this.send(res, { type: 'ADDED', object: this.typed(c, object) });
    } else {
      for (const ev of this.history) {
        if (ev.path === path && ev.rv > Number(from)) this.send(res, { type: ev.type, object: ev.object });
      }
    }
    const w: OpenWatch = { path, res, bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true' };
    this.watches.add(w);
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? '0');
    const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      this.watches.delete(w);
    });
  }
}
