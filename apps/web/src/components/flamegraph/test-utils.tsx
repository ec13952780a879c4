/**
 * Rendering helpers for component tests in jsdom: Mantine reads `matchMedia` for the colour
 * scheme, which jsdom lacks, so a query that never matches is installed first.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import { polyfillMatchMedia } from '../../testing/match-media.ts';

/** Renders `ui` inside a MantineProvider. */
export function renderWithMantine(ui: ReactElement): RenderResult {
  polyfillMatchMedia();
  return render(<MantineProvider>{ui}</MantineProvider>);
}
