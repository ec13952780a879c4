/**
 * Rendering helpers for component tests in jsdom: Mantine reads `matchMedia` for the colour
 * scheme, which jsdom lacks, so a query that never matches is installed first.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';

/** Installs a `matchMedia` that matches nothing (idempotent). */
export function installMatchMedia(): void {
  if (typeof window.matchMedia === 'function') return;
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

/** Renders `ui` inside a MantineProvider. */
export function renderWithMantine(ui: ReactElement): RenderResult {
  installMatchMedia();
  return render(<MantineProvider>{ui}</MantineProvider>);
}
