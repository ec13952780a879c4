import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * Vigil's Mantine theme. `primaryShade` is darker than Mantine's default so that links and
 * white text on filled buttons meet WCAG AA contrast (axe checks it in the e2e test).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

/**
 * Light-mode text colours Mantine's defaults leave below WCAG AA (4.5:1): "dimmed" text (gray 6,
 * 3.3:1 on white; gray 7 passes), and the text of light-variant alerts and badges, which is
 * shade 6 of its colour on a tint of it (yellow about 1.9:1, red and green about 3:1). These
 * shades keep the hue and pass on the tint (yellow #7c5800 ≈ 6:1, the others ≥ 4.7:1). In the
 * dark theme only "dimmed" text needs a lighter shade.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057',
    '--mantine-color-yellow-light-color': '#7c5800',
    '--mantine-color-orange-light-color': '#a33a0b',
    '--mantine-color-red-light-color': t.colors.red[9] ?? '#c92a2a',
    '--mantine-color-green-light-color': '#1f6b2f',
    '--mantine-color-blue-light-color': t.colors.blue[9] ?? '#1864ab',
    '--mantine-color-gray-light-color': t.colors.gray[8] ?? '#343a40',
    '--mantine-color-grape-light-color': t.colors.grape[9] ?? '#862e9c',
    // The hovered active nav link: blue 9 on Mantine's hover tint (blue 2) is 4.0:1; on blue 1 it passes.
    '--mantine-color-blue-light-hover': t.colors.blue[1] ?? '#d0ebff',
  },
  // Mantine's dark dimmed text (#828282 on #242424) is 4.0:1; dark[1] (#b8b8b8) passes.
  dark: {
    '--mantine-color-dimmed': t.colors.dark[1] ?? '#b8b8b8',
  },
});
