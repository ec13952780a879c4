/**
 * Colours of the chart in light and dark mode. uPlot draws on a canvas, which does not read CSS
 * variables, so the colours are concrete values picked per scheme (Mantine's palette shades that
 * keep ≥ 3:1 contrast against the page background).
 */

/** Axis text and grid colours for one colour scheme. */
export interface ChartColours {
  readonly axis: string;
  readonly grid: string;
  readonly threshold: string;
  readonly highlight: string;
}

/** Per colour scheme. */
export const CHART_COLOURS: Readonly<Record<'light' | 'dark', ChartColours>> = {
  light: {
    axis: '#495057',
    grid: 'rgba(0, 0, 0, 0.08)',
    threshold: '#e03131',
    highlight: 'rgba(250, 82, 82, 0.08)',
  },
  dark: {
    axis: '#c1c2c5',
    grid: 'rgba(255, 255, 255, 0.1)',
    threshold: '#ff6b6b',
    highlight: 'rgba(255, 107, 107, 0.12)',
  },
};

const LIGHT_LINES = ['#1c7ed6', '#f76707', '#2f9e44', '#ae3ec9', '#e8590c', '#0c8599', '#c2255c', '#5c940d'];
const DARK_LINES = ['#4dabf7', '#ffa94d', '#69db7c', '#da77f2', '#ff8787', '#3bc9db', '#f783ac', '#a9e34b'];

/** The colour of line `i`, cycling through the palette. */
export function lineColour(i: number, scheme: 'light' | 'dark'): string {
  const palette = scheme === 'dark' ? DARK_LINES : LIGHT_LINES;
  return palette[i % palette.length]!;
}
