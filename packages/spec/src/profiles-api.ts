/**
 * Shapes of Vigil's JSON API for profiles: the profile types of a service and flame graphs
 * (`/api/v1/profiles/types`, `/api/v1/profiles/flamegraph`). Values are in the profile type's
 * unit (nanoseconds of CPU for `ebpf:cpu:nanoseconds`, a count for `cpu:samples`).
 */

/** A node of a flame graph: a frame and what was spent in it and below it. */
export interface FlameGraphNode {
  /** The frame's name (`function file:line`); the root is `total`. */
  name: string;
  /** Value of every stack through this node. */
  total: number;
  /** Value of the stacks that end here. */
  self: number;
  /** Callees, largest total first. */
  children: FlameGraphNode[];
}

/** A node of a diff flame graph: the current window's values and the base window's. */
export interface DiffFlameGraphNode {
  name: string;
  total: number;
  self: number;
  baseTotal: number;
  baseSelf: number;
  /** Callees, largest of (total, baseTotal) first. */
  children: DiffFlameGraphNode[];
}

export interface FlameGraphQuery {
  service: string;
  /** Profile type, e.g. `ebpf:cpu:nanoseconds`. */
  type: string;
  fromMs: number;
  toMs: number;
}

export interface ProfileTypesResponse {
  types: string[];
}

export interface FlameGraphResponse {
  service: string;
  type: string;
  fromMs: number;
  toMs: number;
  flamegraph: FlameGraphNode;
  /** True when stacks beyond the limit were left out (their value is in the root's total). */
  truncated: boolean;
}

export interface DiffFlameGraphResponse {
  service: string;
  type: string;
  fromMs: number;
  toMs: number;
  baseFromMs: number;
  baseToMs: number;
  flamegraph: DiffFlameGraphNode;
  truncated: boolean;
}
