/**
 * A small Docker Engine API client over the daemon's unix socket: the two calls container
 * discovery needs, list and inspect, with the fields it uses checked at the boundary.
 *
 * Paths carry no API version prefix by default: the daemon then answers in its own (newest)
 * version. A fixed prefix would break on some daemon: dockerd 20.10 serves at most v1.41,
 * while Docker 29 refuses anything older than v1.44. The fields read here (Id, Name(s), Image,
 * Labels, LogPath, RestartCount, State.{Pid,Running,StartedAt}) are the same in every version
 * since 1.24. `apiVersion` pins one when wanted.
 */
import http from 'node:http';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** What went wrong, for callers that branch: the socket is the usual suspect on a node. */
export type DockerErrorReason =
  'socket_missing' | 'permission_denied' | 'unreachable' | 'timeout' | 'not_found' | 'http' | 'bad_response';

export class DockerError extends Error {
  readonly reason: DockerErrorReason;
  /** HTTP status, when the daemon answered. */
  readonly status: number | undefined;

  constructor(
    reason: DockerErrorReason,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DockerError';
    this.reason = reason;
    this.status = options.status;
  }
}

/** One row of `GET /containers/json`. */
export interface ContainerSummary {
  /** 64 hex, as in cgroup paths. */
  readonly id: string;
  /** Without the leading '/'. */
  readonly name: string;
  /** The image as the container was created from it (e.g. `nginx:1.25`). */
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly running: boolean;
}

/** `GET /containers/<id>/json`, reduced to what the agent uses. */
export interface ContainerDetails extends ContainerSummary {
  /** The json-file log (`/var/lib/docker/containers/<id>/<id>-json.log`); '' with other log drivers. */
  readonly logPath: string;
  /** Restarts done by the daemon under the restart policy. */
  readonly restartCount: number;
  /** The main process on the host; 0 when not running. */
  readonly pid: number;
  /** When the current (or last) run started, Unix ms; undefined if it never started. */
  readonly startedAtMs: number | undefined;
}

export interface DockerClientOptions {
  /** Default {@link DEFAULT_DOCKER_SOCKET}. */
  readonly socketPath?: string;
  /** Per request, from sending to the last byte of the answer. Default 5000. */
  readonly timeoutMs?: number;
  /** e.g. '1.41'; unset = the daemon's own version (see the module comment). */
  readonly apiVersion?: string;
}

/** The calls discovery makes; an interface so a recorded daemon could stand in where none runs. */
export interface DockerApi {
  readonly socketPath: string;
  listContainers(options?: { all?: boolean }): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerDetails>;
}

const MAX_BODY_BYTES = 32 << 20;

export class DockerClient implements DockerApi {
  readonly socketPath: string;
  private readonly timeoutMs: number;
  private readonly prefix: string;
  // Keep-alive: discovery asks often; free sockets are unref'd by the agent, so they do not
  // keep the process alive. close() drops them.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  constructor(options: DockerClientOptions = {}) {
    this.socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.prefix = options.apiVersion === undefined ? '' : `/v${options.apiVersion}`;
  }

  /** Running containers, or all of them (stopped ones too) with `{ all: true }`. */
  async listContainers(options: { all?: boolean } = {}): Promise<ContainerSummary[]> {
    const body = await this.get(`/containers/json${options.all ? '?all=1' : ''}`);
    if (!Array.isArray(body)) throw badResponse('/containers/json', 'not an array');
    return body.map((row) => summaryOf(row));
  }

  /** One container by id (full or unique prefix) or name; `not_found` when there is none. */
  async inspectContainer(id: string): Promise<ContainerDetails> {
    const body = await this.get(`/containers/${encodeURIComponent(id)}/json`);
    return detailsOf(body, id);
  }

  close(): void {
    this.agent.destroy();
  }

  private get(path: string): Promise<unknown> {
    const fullPath = this.prefix + path;
    const what = `Docker API GET ${fullPath} on ${this.socketPath}`;
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (err: unknown, value?: unknown): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err === undefined) resolve(value);
        else reject(err instanceof DockerError ? err : socketError(err, this.socketPath, what));
      };
      // Settle first, then tear the socket down, so the abort's own error cannot win the race.
      const abort = (err: DockerError): void => {
        finish(err);
        req.destroy();
      };
      const timer = setTimeout(
        () => abort(new DockerError('timeout', `${what}: no complete answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      const req = http.request(
        { socketPath: this.socketPath, path: fullPath, method: 'GET', agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_BODY_BYTES) {
              abort(new DockerError('bad_response', `${what}: answer larger than ${MAX_BODY_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (err) => finish(err));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) {
              finish(httpError(what, status, text));
              return;
            }
            try {
              finish(undefined, JSON.parse(text) as unknown);
            } catch (err) {
              finish(new DockerError('bad_response', `${what}: answer is not JSON`, { cause: err }));
            }
          });
        },
      );
      req.on('error', (err) => finish(err));
      req.end();
    });
  }
}

/** Connection errors named after the socket, which is what a user has to fix. */
function socketError(err: unknown, socketPath: string, what: string): DockerError {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new DockerError(
        'socket_missing',
        `Docker socket ${socketPath} does not exist (is dockerd running, or is the socket elsewhere?)`,
        { cause: err },
      );
    case 'EACCES':
    case 'EPERM':
      return new DockerError(
        'permission_denied',
        `no permission to connect to Docker socket ${socketPath} (run as root or in the docker group)`,
        { cause: err },
      );
    case 'ECONNREFUSED':
      return new DockerError(
        'unreachable',
        `nothing accepts connections on Docker socket ${socketPath} (stale socket; is dockerd running?)`,
        { cause: err },
      );
    default:
      return new DockerError('unreachable', `${what} failed: ${(err as Error).message ?? String(err)}`, {
        cause: err,
      });
  }
}

/** The daemon's errors are `{"message": "..."}`; keep its words. */
function httpError(what: string, status: number, text: string): DockerError {
  let message = text.trim().slice(0, 500);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isRecord(parsed) && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON (a proxy in between?): the raw text is the best there is
  }
  return new DockerError(status === 404 ? 'not_found' : 'http', `${what} answered ${status}: ${message}`, {
    status,
  });
}

function badResponse(path: string, detail: string): DockerError {
  return new DockerError('bad_response', `Docker API ${path}: unexpected answer (${detail})`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!isRecord(value)) return labels; // null when a container has none
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') labels[key] = v;
  return labels;
}

function idOf(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw badResponse(path, 'no 64-hex Id');
  return value;
}

function summaryOf(row: unknown): ContainerSummary {
  if (!isRecord(row)) throw badResponse('/containers/json', 'a row is not an object');
  const names = Array.isArray(row.Names) ? row.Names.filter((n): n is string => typeof n === 'string') : [];
  // Legacy links add names like '/other/alias'; the container's own name has one slash.
  const own = names.find((n) => n.lastIndexOf('/') === 0) ?? names[0] ?? '';
  return {
    id: idOf(row.Id, '/containers/json'),
    name: own.replace(/^\//, ''),
    image: typeof row.Image === 'string' ? row.Image : '',
    labels: labelsOf(row.Labels),
    running: row.State === 'running',
  };
}

function detailsOf(body: unknown, requested: string): ContainerDetails {
  const path = `/containers/${requested}/json`;
  if (!isRecord(body)) throw badResponse(path, 'not an object');
  const config = isRecord(body.Config) ? body.Config : {};
  const state = isRecord(body.State) ? body.State : {};
  const startedAtMs = typeof state.StartedAt === 'string' ? Date.parse(state.StartedAt) : NaN;
  return {
    id: idOf(body.Id, path),
    name: typeof body.Name === 'string' ? body.Name.replace(/^\//, '') : '',
    image: typeof config.Image === 'string' ? config.Image : '',
    labels: labelsOf(config.Labels),
    running: state.Running === true,
    logPath: typeof body.LogPath === 'string' ? body.LogPath : '',
    restartCount: typeof body.RestartCount === 'number' ? body.RestartCount : 0,
    pid: typeof state.Pid === 'number' ? state.Pid : 0,
    // The daemon writes 0001-01-01T00:00:00Z for a container that never ran.
    startedAtMs: Number.isFinite(startedAtMs) && startedAtMs > 0 ? startedAtMs : undefined,
  };
}
