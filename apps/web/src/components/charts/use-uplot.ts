/**
 * Owns one uPlot instance in a container: created when the data or the look changes, resized in
 * place when only the width does, destroyed on unmount. uPlot is imported on first use, which
 * keeps it out of the pages' initial chunk and lets it load after the environment is ready (it
 * reads `matchMedia` when its module is evaluated).
 */
import { useEffect, useRef, type RefObject } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UplotData } from './chart-data.ts';

let uplotModule: Promise<typeof uPlot> | undefined;
const loadUplot = (): Promise<typeof uPlot> => (uplotModule ??= import('uplot').then((m) => m.default));

let canvas2d: boolean | undefined;
/**
 * Whether this environment draws on a canvas. uPlot throws (asynchronously, from its first
 * redraw) when `getContext('2d')` answers null, as it does in jsdom and where canvas is disabled;
 * then the chart shows its legend and summary without the plot instead of crashing the page.
 */
export function canDrawCanvas(): boolean {
  if (canvas2d === undefined) {
    try {
      canvas2d = document.createElement('canvas').getContext('2d') !== null;
    } catch {
      canvas2d = false;
    }
  }
  return canvas2d;
}

/**
 * A uPlot in `container`. `options` must be memoised by the caller: a new object rebuilds the
 * plot. The returned ref holds the live instance (for `setSeries` from the legend).
 */
export function useUplot(
  container: RefObject<HTMLElement | null>,
  options: uPlot.Options | null,
  data: UplotData,
  widthPx: number,
): RefObject<uPlot | null> {
  const plot = useRef<uPlot | null>(null);
  const width = useRef(widthPx);
  width.current = widthPx;

  useEffect(() => {
    const el = container.current;
    if (el === null || options === null || !canDrawCanvas()) return;
    let cancelled = false;
    void loadUplot().then((UPlot) => {
      if (cancelled) return;
      plot.current = new UPlot({ ...options, width: width.current }, data as uPlot.AlignedData, el);
    });
    return () => {
      cancelled = true;
      plot.current?.destroy();
      plot.current = null;
    };
  }, [container, options, data]);

  useEffect(() => {
    const p = plot.current;
    if (p !== null && p.width !== widthPx) p.setSize({ width: widthPx, height: p.height });
  }, [widthPx]);

  return plot;
}
