/**
 * A stable colour per service: the same service gets the same hue on every page load and in
 * every trace, so users learn "checkout is green" once.
 */

/** FNV-1a over UTF-16 code units: tiny, fast and spreads similar names ("api-1", "api-2") apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** An HSL colour for the service. Hues near red are skipped so colour never reads as "error". */
export function serviceColour(serviceName: string): string {
  const h = hash(serviceName);
  // 300 usable degrees from 30° to 330°, leaving red (330°–30°) to errors.
  const hue = 30 + (h % 300);
  const lightness = 42 + ((h >>> 9) % 3) * 8;
  return `hsl(${hue} 65% ${lightness}%)`;
}
