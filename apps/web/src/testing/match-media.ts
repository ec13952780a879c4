/**
 * Mantine (and uPlot) read colour-scheme media queries, which jsdom does not implement: tests
 * install a `matchMedia` that matches nothing (idempotent).
 */
export function polyfillMatchMedia(): void {
  if (typeof window.matchMedia === 'function') return;
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
