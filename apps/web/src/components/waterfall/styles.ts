/** Shared inline styles of the waterfall (inline so the component needs no CSS pipeline). */
import type { CSSProperties } from 'react';

/** Row height in px: fixed, because the windowing computes positions from it. */
export const ROW_HEIGHT_PX = 24;

/** Share of the width used by the service/span name column. */
export const NAME_COLUMN = '38%';

/** The colour of error spans; service hues avoid this range (see service-colour.ts). */
export const ERROR_COLOUR = '#d6336c';

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
