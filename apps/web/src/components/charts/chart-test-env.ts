/**
 * jsdom set-up for tests that render charts (imported only by tests). jsdom has no canvas: its
 * `getContext` logs "not implemented" and answers null, and uPlot then throws from its first
 * redraw. The stub answers null quietly, so the chart takes its no-canvas path (legend and
 * summary, no plot); the canvas drawing itself is left to the browser end-to-end test.
 * Mantine and uPlot also read `matchMedia`, and Mantine's scroll containers (and the chart's
 * width tracking) `ResizeObserver`, neither of which jsdom has; layout never changes there, so
 * an observer that never fires is faithful.
 */
import { vi } from 'vitest';
import { polyfillMatchMedia } from '../../testing/match-media.ts';
import { polyfillLayoutApis } from '../../testing/layout-apis.ts';

/** Installs the stubs; call before rendering. */
export function installChartTestEnv(): void {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  polyfillLayoutApis();
  polyfillMatchMedia();
}
