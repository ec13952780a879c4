/**
 * CRI-O's inspect endpoint: plain HTTP on its unix socket, `GET /containers/<id>` answering a
 * JSON `ContainerInfo` (cri-o `pkg/types`: `name`, `pid`, `image`, `labels`, `annotations`,
 * `log_path`, `sandbox`, …), the same endpoint `crio-status` and cAdvisor read. Infra (pause)
 * containers are answered too. A missing id is a 404, answered here as undefined.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';

/**
 * Where CRI-O listens, in the order tried; `/host/run` is the host's `/run` (where `/var/run`
 * points) in the DaemonSet (deploy/README.md).
 */
export const DEFAULT_CRIO_SOCKETS: readonly string[] = [
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/host/run/crio/crio.sock',
];

export interface CrioContainer {
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly logPath: string;
}

export type CrioErrorReason = 'socket_missing' | 'unreachable' | 'timeout' | 'bad_response';

export class CrioError extends Error {
  constructor(
    readonly reason: CrioErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'CrioError';
  }
}

/** What the names source needs of CRI-O (a fake serves tests). */
export interface CrioApi {
  readonly socketPath: string;
  /** The container, undefined when CRI-O does not know the id; rejects with a {@link CrioError}. */
  container(id: string): Promise<CrioContainer | undefined>;
}

/** The first of `candidates` that exists, or undefined. */
export function findCrioSocket(candidates: readonly string[] = DEFAULT_CRIO_SOCKETS): string | undefined {
  return candidates.find((path) => existsSync(path));
}

export class CrioClient implements CrioApi {
  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = 3000,
  ) {}

  container(id: string): Promise<CrioContainer | undefined> {
    if (!/^[0-9a-f]{12,64}$/.test(id)) return Promise.reject(new Error(`not a CRI-O container id: ${id}`));
    return new Promise((resolve, reject) => {
      const req = request(
        { socketPath: this.socketPath, path: `/containers/${id}`, method: 'GET', timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 404) return resolve(undefined);
            if (res.statusCode !== 200)
              return reject(
                new CrioError('bad_response', `CRI-O answered ${res.statusCode}: ${body.slice(0, 200)}`),
              );
            try {
              resolve(parseContainerInfo(body));
            } catch (err) {
              reject(
                new CrioError(
                  'bad_response',
                  `CRI-O's answer for ${id} is not a container: ${(err as Error).message}`,
                ),
              );
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new CrioError('timeout', `CRI-O did not answer within ${this.timeoutMs} ms`)),
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof CrioError) return reject(err);
        const reason: CrioErrorReason = err.code === 'ENOENT' ? 'socket_missing' : 'unreachable';
        reject(new CrioError(reason, `CRI-O at ${this.socketPath}: ${err.message}`));
      });
      req.end();
    });
  }
}

function parseContainerInfo(body: string): CrioContainer {
  const info = JSON.parse(body) as Record<string, unknown>;
  if (typeof info !== 'object' || info === null) throw new Error('not an object');
  const strings = (value: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
    return out;
  };
  return {
    name: typeof info.name === 'string' ? info.name : '',
    image: typeof info.image === 'string' ? info.image : '',
    labels: strings(info.labels),
    annotations: strings(info.annotations),
    logPath: typeof info.log_path === 'string' ? info.log_path : '',
  };
}
