/**
 * The protobuf messages of containerd's Containers service that the agent exchanges, encoded
 * and decoded by hand (no .proto files or generated code at run time). Field numbers are those
 * of containerd's `api/services/containers/v1/containers.proto`, unchanged from 1.0 to 2.x:
 *
 * ```
 * GetContainerRequest    { string id = 1; }
 * GetContainerResponse   { Container container = 1; }
 * ListContainersRequest  { repeated string filters = 1; }
 * ListContainersResponse { repeated Container containers = 1; }
 * Container              { string id = 1; map<string,string> labels = 2; string image = 3;
 *                          Runtime runtime = 4 { string name = 1; }; Any spec = 5; … string sandbox = 11; }
 * ```
 *
 * Only id, labels, image and the runtime's name are read. The OCI spec (field 5, several KB of
 * JSON per container) and the extensions are skipped without being copied.
 */
import { ProtoReader, WireType, fieldTag } from '@vigil/protocols';

/** A containerd container's metadata, as far as the agent uses it. */
export interface ContainerdContainer {
  /** 64 hex for CRI and Docker containers: the id in the cgroup path. */
  readonly id: string;
  /** Kubelet labels for CRI containers (`io.kubernetes.pod.name`, …). No prototype. */
  readonly labels: Readonly<Record<string, string>>;
  /** The image reference (`docker.io/library/nginx:1.25`); '' when the client set none (Docker). */
  readonly image: string;
  /** e.g. `io.containerd.runc.v2`. */
  readonly runtime: string;
}

const LEN = WireType.lengthDelimited;
const TAG_1_LEN = fieldTag(1, LEN);
const TAG_2_LEN = fieldTag(2, LEN);
const TAG_3_LEN = fieldTag(3, LEN);
const TAG_4_LEN = fieldTag(4, LEN);

/** `GetContainerRequest { string id = 1; }` */
export function encodeGetContainerRequest(id: string): Buffer {
  return stringFields(1, [id]);
}

/** `ListContainersRequest { repeated string filters = 1; }`; no filter lists every container. */
export function encodeListContainersRequest(filters: readonly string[] = []): Buffer {
  return stringFields(1, filters);
}

/** `GetContainerResponse`: the container, or undefined if the answer holds none. */
export function decodeGetContainerResponse(body: Uint8Array): ContainerdContainer | undefined {
  const r = new ProtoReader(body);
  let container: ContainerdContainer | undefined;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === TAG_1_LEN) container = readContainer(r, 'container');
    else r.skip(tag);
  }
  return container;
}

/** `ListContainersResponse`. */
export function decodeListContainersResponse(body: Uint8Array): ContainerdContainer[] {
  const r = new ProtoReader(body);
  const out: ContainerdContainer[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === TAG_1_LEN) out.push(readContainer(r, 'containers', out.length));
    else r.skip(tag);
  }
  return out;
}

function readContainer(r: ProtoReader, name: string, index?: number): ContainerdContainer {
  r.path.push(name, index);
  const outer = r.enter();
  let id = '';
  let image = '';
  let runtime = '';
  // Label keys are set by whoever created the container: no prototype, so `__proto__` is a key.
  const labels = Object.create(null) as Record<string, string>;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case TAG_1_LEN:
        id = r.string();
        break;
      case TAG_2_LEN:
        readLabel(r, labels);
        break;
      case TAG_3_LEN:
        image = r.string();
        break;
      case TAG_4_LEN:
        runtime = readRuntimeName(r);
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  r.path.pop();
  return { id, labels, image, runtime };
}

/** One map entry: `{ string key = 1; string value = 2; }`; a missing part is ''. */
function readLabel(r: ProtoReader, labels: Record<string, string>): void {
  r.path.push('labels');
  const outer = r.enter();
  let key = '';
  let value = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === TAG_1_LEN) key = r.string();
    else if (tag === TAG_2_LEN) value = r.string();
    else r.skip(tag);
  }
  r.leave(outer);
  r.path.pop();
  labels[key] = value;
}

function readRuntimeName(r: ProtoReader): string {
  const outer = r.enter();
  let name = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === TAG_1_LEN) name = r.string();
    else r.skip(tag);
  }
  r.leave(outer);
  return name;
}

/** Strings as one repeated length-delimited field (proto3 writes '' as well when repeated). */
function stringFields(field: number, values: readonly string[]): Buffer {
  const tag = fieldTag(field, LEN);
  const parts: Buffer[] = [];
  for (const value of values) {
    const bytes = Buffer.from(value, 'utf8');
    parts.push(Buffer.from([...varint(tag), ...varint(bytes.length)]), bytes);
  }
  return Buffer.concat(parts);
}

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return out;
}
