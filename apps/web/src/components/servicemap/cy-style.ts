/**
 * The map's cytoscape stylesheet. Health is told by colour *and* shape and border (a circle is
 * ok, a diamond warns, an octagon with a thick border is critical, a dashed square is unknown),
 * so it reads without colour vision; failing edges are dashed as well as coloured.
 */
import type { StylesheetJson } from 'cytoscape';
import type { Status } from '../../api/types.ts';

/** How each health is drawn; the legend reads the same table. */
export const HEALTH_STYLE: Readonly<
  Record<
    Status,
    {
      label: string;
      colour: string;
      border: string;
      shape: 'ellipse' | 'diamond' | 'octagon' | 'round-rectangle';
      borderStyle: 'solid' | 'double' | 'dashed';
    }
  >
> = {
  ok: { label: 'OK', colour: '#40c057', border: '#2b8a3e', shape: 'ellipse', borderStyle: 'solid' },
  warning: { label: 'Warning', colour: '#fab005', border: '#e67700', shape: 'diamond', borderStyle: 'solid' },
  critical: {
    label: 'Critical',
    colour: '#fa5252',
    border: '#a51111',
    shape: 'octagon',
    borderStyle: 'double',
  },
  unknown: {
    label: 'No data',
    colour: '#ced4da',
    border: '#495057',
    shape: 'round-rectangle',
    borderStyle: 'dashed',
  },
};

const healthRules = (Object.keys(HEALTH_STYLE) as Status[]).map((s) => ({
  selector: `node.${s}`,
  style: {
    'background-color': HEALTH_STYLE[s].colour,
    'border-color': HEALTH_STYLE[s].border,
    shape: HEALTH_STYLE[s].shape,
    'border-style': HEALTH_STYLE[s].borderStyle,
    'border-width': s === 'critical' ? 6 : 2,
  },
}));

/** The stylesheet; see the module comment. */
export const MAP_STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      width: 28,
      height: 28,
      label: 'data(label)',
      'font-size': 11,
      color: '#212529',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-max-width': '170px',
      'text-wrap': 'ellipsis',
      // Below this on-screen size labels are skipped: 500 labels at a fit-all zoom are noise and
      // the most expensive thing the canvas draws.
      'min-zoomed-font-size': 7,
    },
  },
  ...healthRules,
  {
    selector: 'node.group',
    style: {
      // A box behind its applications (cy-elements.ts says why not a compound parent).
      width: 'data(widthPx)',
      height: 'data(heightPx)',
      'z-compound-depth': 'bottom',
      shape: 'round-rectangle',
      'background-color': '#868e96',
      'background-opacity': 0.06,
      'border-width': 1,
      'border-color': '#adb5bd',
      'border-style': 'solid',
      label: 'data(label)',
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -6,
      'font-size': 14,
      'font-weight': 'bold',
      'min-zoomed-font-size': 5,
      events: 'no',
    },
  },
  {
    selector: 'edge',
    style: {
      width: 'data(widthPx)',
      'line-color': '#adb5bd',
      // Haystack lines run centre to centre: no intersection with each node's shape to compute,
      // which was a fifth of the first frame at 2,000 edges. The arrow sits mid-line.
      'curve-style': 'haystack',
      'haystack-radius': 0,
      'mid-target-arrow-color': '#adb5bd',
      'mid-target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      opacity: 0.7,
    },
  },
  { selector: 'edge.warning', style: { 'line-color': '#f08c00', 'mid-target-arrow-color': '#f08c00' } },
  {
    selector: 'edge.critical',
    style: { 'line-color': '#e03131', 'mid-target-arrow-color': '#e03131', opacity: 0.9 },
  },
  { selector: 'edge.failing', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 3] } },
  { selector: '.faded', style: { opacity: 0.12 } },
  {
    selector: 'node.match',
    style: { 'border-width': 6, 'border-color': '#1971c2', 'border-style': 'solid', 'z-index': 10 },
  },
  {
    selector: 'edge.match, edge.hover',
    style: {
      label: 'data(label)',
      'font-size': 10,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-rotation': 'autorotate',
      opacity: 1,
      'z-index': 9,
    },
  },
  {
    selector: 'node.hover',
    style: { 'underlay-color': '#1971c2', 'underlay-opacity': 0.25, 'underlay-padding': 6 },
  },
];
