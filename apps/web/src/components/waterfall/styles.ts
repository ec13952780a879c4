/** Shared inline styles of the waterfall (inline so the component needs no CSS pipeline). */
import type { CSSProperties } from 'react';

/** Row height in px: fixed, because the windowing computes positions from it. */
export const ROW_HEIGHT_PX = 24;

/** Share of the width used by the service/span name column. */
export const NAME_COLUMN = '38%';

/** The colour of error spans; service hues avoid this range (see service-colour.ts). */
export const ERROR_COLOUR = '#d6336c';
/** Error text: the theme's red text shade, which passes AA contrast on rows, selected or not, in both themes. */
export const ERROR_TEXT_COLOUR = 'var(--mantine-color-red-light-color)';
/** Secondary text (ticks, durations): the theme's dimmed colour, AA in both themes (app/theme.ts). */
export const DIMMED_TEXT_COLOUR = 'var(--mantine-color-dimmed)';

/** Text for screen readers only. */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};

export const plainButton: CSSProperties = {
  background: 'none',
  border: 'none',
  padding: 0,
  font: 'inherit',
  color: 'inherit',
  cursor: 'pointer',
  textAlign: 'left',
};
