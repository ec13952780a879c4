/**
 * Test harness for the logs page and its components (imported only by tests): the shared page
 * harness (testing/render-page.tsx) at `/logs`, and log records with sensible defaults.
 */
import type { ReactElement } from 'react';
import type { RenderResult } from '@testing-library/react';
import type { LogView } from '@vigil/spec';
import { renderRoutes } from '../../testing/render-page.tsx';

export { serve, type Handler } from '../../testing/render-page.tsx';

/** Renders `ui` at `/logs` + `search` inside the providers. */
export function renderAt(ui: ReactElement, search = ''): RenderResult {
  return renderRoutes({ '/logs': ui }, `/logs${search}`);
}

/** A log record at `ms` with sensible defaults. */
export function logAt(ms: number, body: string, extra: Partial<LogView> = {}): LogView {
  return {
    timestampUnixNano: (BigInt(ms) * 1_000_000n).toString(),
    serviceName: 'cart',
    severityText: 'INFO',
    severityNumber: 9,
    body,
    traceId: '',
    spanId: '',
    attributes: {},
    resourceAttributes: {},
    ...extra,
  };
}
