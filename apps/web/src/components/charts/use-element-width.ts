/** Tracks an element's content width, so a chart resizes with its container. */
import { useLayoutEffect, useState, type RefObject } from 'react';

/** Width used before the first measurement and where layout gives none (jsdom). */
export const FALLBACK_WIDTH_PX = 600;

/** The element's width in CSS pixels, updated on resize. */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [widthPx, setWidthPx] = useState(FALLBACK_WIDTH_PX);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const measure = (): void => setWidthPx(el.clientWidth > 0 ? el.clientWidth : FALLBACK_WIDTH_PX);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return widthPx;
}
