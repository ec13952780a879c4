/** Candidates built directly from series, for scoring tests that need no world. */
import type { TimeSeries } from '@vigil/model';
import type { CauseCandidate, CandidateKind, SignalDirection } from '../types.ts';

export interface CandidateSpec {
  readonly app?: string;
  readonly depth?: number;
  readonly instanceId?: string;
  readonly direction?: SignalDirection;
  readonly unit?: string;
  readonly title?: string;
}

/** A candidate `kind` about `spec.app` (default "api", depth 1) with id `<kind>:<app>`. */
export function candidateOf(
  kind: CandidateKind,
  series: TimeSeries,
  spec: CandidateSpec = {},
): CauseCandidate {
  const app = spec.app ?? 'api';
  return {
    id: `${kind}:${app}`,
    kind,
    applicationId: app,
    applicationName: app,
    ...(spec.instanceId === undefined ? {} : { instanceId: spec.instanceId }),
    depth: spec.depth ?? 1,
    title: spec.title ?? kind.replace(/_/g, ' '),
    unit: spec.unit ?? '',
    series,
    direction: spec.direction ?? 'up',
  };
}
