/**
 * Mantine's popovers and scroll areas, and the charts' width tracking, watch element sizes with
 * `ResizeObserver`, which jsdom lacks. Layout never changes in jsdom, so an observer that never
 * fires is faithful. Installed once (idempotent), like the matchMedia polyfill.
 */
export function polyfillResizeObserver(): void {
  if (typeof globalThis.ResizeObserver !== 'undefined') return;
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
