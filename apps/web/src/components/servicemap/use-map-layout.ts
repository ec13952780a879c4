/**
 * Positions for the map: the seed layout at once (seed-layout.ts, a few ms), then ELK's from its
 * worker when it answers. A newer graph discards an older layout's late answer.
 */
import { useEffect, useMemo, useState } from 'react';
import type { LayoutFn } from './elk-layout.ts';
import type { Graph, Positions } from './map-types.ts';
import { seedLayout } from './seed-layout.ts';

/** Which positions are shown: the seed's, ELK's, or the seed's because ELK failed. */
export type LayoutPhase = 'seed' | 'final' | 'failed';

/** What useMapLayout gives. */
export interface MapLayout {
  readonly positions: Positions;
  readonly phase: LayoutPhase;
  /** ELK's error, when it failed (the seed layout stays). */
  readonly error?: unknown;
}

/** See the module comment. `graph` should change only when its structure does, not on search. */
export function useMapLayout(graph: Graph, layout: LayoutFn): MapLayout {
  const seed = useMemo(() => seedLayout(graph), [graph]);
  const [result, setResult] = useState<{ graph: Graph; layout: MapLayout } | undefined>();
  useEffect(() => {
    let current = true;
    layout(graph).then(
      (positions) => current && setResult({ graph, layout: { positions, phase: 'final' } }),
      (error: unknown) =>
        current && setResult({ graph, layout: { positions: seed, phase: 'failed', error } }),
    );
    return () => {
      current = false;
    };
  }, [graph, layout, seed]);
  return result?.graph === graph ? result.layout : { positions: seed, phase: 'seed' };
}
