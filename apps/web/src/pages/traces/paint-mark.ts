/**
 * Performance marks the browser benches read (bench/web-trace.ts), like the map's `vigil:map:*`:
 * `vigil:trace:data` when the trace's JSON is parsed, `vigil:trace:drawn` when the waterfall has
 * been painted with its handlers attached. Each is set once per page load: the bench times the
 * first trace opened.
 */

/** Sets the mark `name` unless the page already has it. */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}

/**
 * Sets the mark after the next paint: a requestAnimationFrame callback runs just before the frame
 * is painted, and a task queued from it runs once that frame is out. Returns a cancel function.
 */
export function markAfterPaint(name: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => markOnce(name), 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
