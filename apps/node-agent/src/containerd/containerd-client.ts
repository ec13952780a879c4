/**
 * A minimal gRPC client for containerd's Containers service over its unix socket: Get and List,
 * the calls that name a container found in a cgroup path. Messages are encoded by hand
 * (containerd-proto.ts); this module is the transport and the error mapping.
 *
 * containerd keeps every client's containers apart by namespace (`k8s.io` for the kubelet's CRI
 * plugin, `moby` for Docker, `default` for ctr and nerdctl); each call names one in the
 * `containerd-namespace` metadata entry.
 */
import { stat } from 'node:fs/promises';
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import {
  decodeGetContainerResponse,
  decodeListContainersResponse,
  encodeGetContainerRequest,
  encodeListContainersRequest,
  type ContainerdContainer,
} from './containerd-proto.ts';

export type { ContainerdContainer } from './containerd-proto.ts';

/**
 * Where containerd listens on Kubernetes nodes, in the order tried: upstream, then k3s, k0s and
 * MicroK8s, which run their own containerd elsewhere; each also under `/host` for an agent in a
 * container with the host's root mounted there.
 */
export const DEFAULT_CONTAINERD_SOCKETS: readonly string[] = [
  '/run/containerd/containerd.sock',
  '/host/run/containerd/containerd.sock',
  '/run/k3s/containerd/containerd.sock',
  '/host/run/k3s/containerd/containerd.sock',
  '/run/k0s/containerd.sock',
  '/host/run/k0s/containerd.sock',
  '/var/snap/microk8s/common/run/containerd.sock',
  '/host/var/snap/microk8s/common/run/containerd.sock',
];

/** What went wrong, for callers that branch. `not_found` never escapes: Get answers undefined. */
export type ContainerdErrorReason =
  'socket_missing' | 'permission_denied' | 'unreachable' | 'timeout' | 'grpc' | 'bad_response';

export class ContainerdError extends Error {
  readonly reason: ContainerdErrorReason;
  /** The gRPC status code, when containerd (or the channel) answered with one. */
  readonly code: number | undefined;

  constructor(
    reason: ContainerdErrorReason,
    message: string,
    options: { code?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ContainerdError';
    this.reason = reason;
    this.code = options.code;
  }
}

export interface ContainerdClientOptions {
  /** Default: the first of {@link DEFAULT_CONTAINERD_SOCKETS}; see {@link findContainerdSocket}. */
  readonly socketPath?: string;
  /** Deadline per call. Default 3000. */
  readonly timeoutMs?: number;
}

/** The calls naming needs; an interface so a recorded containerd could stand in where none runs. */
export interface ContainerdApi {
  readonly socketPath: string;
  /** The container in `namespace`, or undefined when that namespace has no such container. */
  getContainer(namespace: string, id: string): Promise<ContainerdContainer | undefined>;
  /** Containers in `namespace`; filters in containerd's syntax (`labels."io.cri-containerd.kind"==sandbox`). */
  listContainers(namespace: string, filters?: readonly string[]): Promise<ContainerdContainer[]>;
}

const SERVICE = '/containerd.services.containers.v1.Containers';
/** containerd sends up to 16 MiB; grpc-js accepts 4 MiB by default, short of a big List. */
const MAX_RECEIVE_BYTES = 16 << 20;

/** The first socket of `candidates` that exists, else the first candidate (errors then name it). */
export async function findContainerdSocket(
  candidates: readonly string[] = DEFAULT_CONTAINERD_SOCKETS,
): Promise<string> {
  for (const path of candidates) {
    try {
      if ((await stat(path)).isSocket()) return path;
    } catch {
      // absent: try the next
    }
  }
  return candidates[0] ?? DEFAULT_CONTAINERD_SOCKETS[0]!;
}

export class ContainerdClient implements ContainerdApi {
  readonly socketPath: string;
  private readonly timeoutMs: number;
  private readonly client: Client;

  constructor(options: ContainerdClientOptions = {}) {
    this.socketPath = options.socketPath ?? DEFAULT_CONTAINERD_SOCKETS[0]!;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.client = new Client(`unix:${this.socketPath}`, credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
      // grpc-js backs off up to 2 min after a failed connect; containerd restarting (an upgrade)
      // should not leave containers unnamed that long.
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 5000,
    });
  }

  async getContainer(namespace: string, id: string): Promise<ContainerdContainer | undefined> {
    const body = await this.call('Get', namespace, encodeGetContainerRequest(id));
    if (body === undefined) return undefined;
    const container = this.decode('Get', () => decodeGetContainerResponse(body));
    if (container === undefined) {
      throw new ContainerdError(
        'bad_response',
        `containerd Get ${id} in ${namespace}: answer holds no container`,
      );
    }
    return container;
  }

  async listContainers(namespace: string, filters: readonly string[] = []): Promise<ContainerdContainer[]> {
    const body = await this.call('List', namespace, encodeListContainersRequest(filters));
    // An unknown namespace lists empty (checked on containerd 1.6); NOT_FOUND would mean the same.
    return body === undefined ? [] : this.decode('List', () => decodeListContainersResponse(body));
  }

  /** Closes the channel; calls made afterwards fail. */
  close(): void {
    this.client.close();
  }

  /** One unary call; resolves undefined on NOT_FOUND, rejects with a {@link ContainerdError}. */
  private call(method: string, namespace: string, request: Buffer): Promise<Buffer | undefined> {
    const metadata = new Metadata();
    metadata.set('containerd-namespace', namespace);
    const what = `containerd ${method} (namespace ${namespace}) on ${this.socketPath}`;
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest<Buffer, Buffer>(
        `${SERVICE}/${method}`,
        (bytes) => bytes,
        (bytes) => bytes,
        request,
        metadata,
        { deadline: Date.now() + this.timeoutMs },
        (err, response) => {
          if (err === null && response !== undefined) resolve(response);
          else if (err?.code === status.NOT_FOUND) resolve(undefined);
          else this.describe(err ?? undefined, what).then(reject, reject);
        },
      );
    });
  }

  private decode<T>(method: string, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ContainerdError('bad_response', `containerd ${method} on ${this.socketPath}: ${message}`, {
        cause: err,
      });
    }
  }

  /**
   * Turns a failed call into an error that says what to fix. grpc-js reports every connect
   * failure as UNAVAILABLE with the errno buried in `details`; a stat of the socket tells a
   * missing socket (containerd not installed, or the host path not mounted) from a denied one
   * and from a stale socket file nobody listens on.
   */
  private async describe(err: ServiceError | undefined, what: string): Promise<ContainerdError> {
    if (err === undefined) return new ContainerdError('bad_response', `${what}: no answer and no error`);
    const options = { code: err.code, cause: err };
    if (err.code === status.DEADLINE_EXCEEDED) {
      return new ContainerdError('timeout', `${what}: no answer within ${this.timeoutMs} ms`, options);
    }
    if (err.code !== status.UNAVAILABLE) {
      return new ContainerdError('grpc', `${what}: ${status[err.code] ?? err.code} ${err.details}`, options);
    }
    try {
      const file = await stat(this.socketPath);
      if (!file.isSocket()) {
        return new ContainerdError('unreachable', `${what}: ${this.socketPath} is not a socket`, options);
      }
    } catch (statErr) {
      const code = (statErr as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return new ContainerdError('socket_missing', `${what}: ${this.socketPath} does not exist`, options);
      }
      if (code === 'EACCES') {
        return new ContainerdError(
          'permission_denied',
          `${what}: ${this.socketPath}: permission denied`,
          options,
        );
      }
    }
    if (/EACCES|EPERM/.test(err.details)) {
      return new ContainerdError('permission_denied', `${what}: permission denied (run as root)`, options);
    }
    return new ContainerdError('unreachable', `${what}: ${err.details}`, options);
  }
}
