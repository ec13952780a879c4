/** Test harness for the traces page (imported only by tests); see testing/render-page.tsx. */
import type { ReactElement } from 'react';
import type { RenderResult } from '@testing-library/react';
import { renderRoutes } from '../../testing/render-page.tsx';

export { serve, type Handler } from '../../testing/render-page.tsx';

/** Renders `page` at `/traces` + `search` inside the providers. */
export function renderAt(page: ReactElement, search: string): RenderResult {
  return renderRoutes({ '/traces': page }, `/traces${search}`);
}
