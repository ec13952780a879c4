/** Tracks an element's content width, so a canvas view (flame graph, chart) follows its container. */
import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * The element's width in CSS pixels, updated on resize; `fallbackPx` before the first
 * measurement and where layout gives none (jsdom).
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallbackPx: number): number {
  const [widthPx, setWidthPx] = useState(fallbackPx);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const measure = (): void => setWidthPx(el.clientWidth > 0 ? el.clientWidth : fallbackPx);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, fallbackPx]);
  return widthPx;
}
