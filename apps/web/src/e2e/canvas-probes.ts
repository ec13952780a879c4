/**
 * What a test can learn about canvas-drawn views (flame graph, service map) from inside the
 * page: whether anything was painted, and where cytoscape drew a node.
 */
import type { Locator, Page } from 'playwright-core';

/** Whether the canvas has at least `minPixels` non-transparent pixels: it was drawn on. */
export function canvasPainted(canvas: Locator, minPixels = 100): Promise<boolean> {
  return canvas.evaluate((el, min) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return false;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length && painted < min; i += 4) if (data[i]! > 0) painted++;
    return painted >= min;
  }, minPixels);
}

interface CyNode {
  renderedPosition(): { x: number; y: number };
  empty(): boolean;
}
interface Cy {
  getElementById(id: string): CyNode;
}

/**
 * Where, in page coordinates, cytoscape draws node `id` now; undefined until the map holds it.
 * Cytoscape registers itself on its container as `_cyreg.cy` (bench/web-map.ts reads it too),
 * which stays true whatever the page wraps around it.
 */
export function mapNodePoint(page: Page, id: string): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate((nodeId) => {
    for (const el of document.querySelectorAll('div')) {
      const cy = (el as unknown as { _cyreg?: { cy?: Cy } })._cyreg?.cy;
      if (!cy) continue;
      const node = cy.getElementById(nodeId);
      if (node.empty()) return undefined;
      const box = el.getBoundingClientRect();
      const p = node.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    }
    return undefined;
  }, id);
}
