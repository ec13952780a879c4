/**
 * Runs the ELK layout in elkjs's own Web Worker, so the 1–2 s it takes at 500 applications never
 * blocks the page: the map stays scrollable and clickable on its seed layout meanwhile.
 */
import ELK, { type ELK as ElkApi } from 'elkjs/lib/elk-api.js';
// Vite emits the worker script as a file of its own and gives its URL: it is fetched only
// when the first map is laid out, never part of any page's chunk.
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { positionsFromElk, toElkGraph } from './elk-graph.ts';
import type { Graph, Positions } from './map-types.ts';

/** Lays out a graph; resolves to node centres. The map page takes this so tests can pass another. */
export type LayoutFn = (graph: Graph) => Promise<Positions>;

let elk: ElkApi | undefined;

/**
 * One worker for the page's lifetime: the GWT-compiled layouter is slow on its first run (the
 * JIT warms up), so a second layout (another grouping) reuses the warm one.
 */
function instance(): ElkApi {
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  return elk;
}

/** The ELK layered layout of `graph` (see elk-graph.ts), computed in a Web Worker. */
export const elkLayout: LayoutFn = async (graph) => {
  const result = await instance().layout(toElkGraph(graph));
  return positionsFromElk(result);
};

/** Stops the worker (tests and page teardown in long sessions); the next layout starts another. */
export function stopElkWorker(): void {
  elk?.terminateWorker();
  elk = undefined;
}
