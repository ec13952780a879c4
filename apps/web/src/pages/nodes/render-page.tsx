/**
 * Test harness for the nodes and incidents pages (imported only by tests): the shared page
 * harness (testing/render-page.tsx) with the chart test environment installed.
 */
import type { ReactElement } from 'react';
import type { RenderResult } from '@testing-library/react';
import { installChartTestEnv } from '../../components/charts/chart-test-env.ts';
import { renderRoutes } from '../../testing/render-page.tsx';

export { serve, type Handler } from '../../testing/render-page.tsx';

/** Renders `routes` (path → element) at `url` inside the shell's providers. */
export function renderAt(routes: Record<string, ReactElement>, url: string): RenderResult {
  installChartTestEnv();
  return renderRoutes(routes, url);
}
