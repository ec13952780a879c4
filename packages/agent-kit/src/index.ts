/** What the node agent and the cluster agent share (see README). */
export { formatExposition, type MetricFamily, type Sample } from './exposition/metric-family.ts';
