/**
 * Layout APIs jsdom lacks, which Mantine and the charts call: `ResizeObserver` (popovers, scroll
 * areas, the charts' width tracking) and `Element.scrollIntoView` (a combobox scrolls its
 * selected option into view on a timer, after a test may have ended). Layout never changes in
 * jsdom, so an observer that never fires and a scroll that does nothing are faithful. Installed
 * once (idempotent), like the matchMedia polyfill.
 */
export function polyfillLayoutApis(): void {
  if (typeof globalThis.ResizeObserver === 'undefined') {
    globalThis.ResizeObserver = class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    };
  }
  if (typeof Element !== 'undefined' && typeof Element.prototype.scrollIntoView !== 'function') {
    Element.prototype.scrollIntoView = function scrollIntoView(): void {};
  }
}
