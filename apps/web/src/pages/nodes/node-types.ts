/**
 * The JSON of the node routes, as apps/server/src/model/views.ts writes it (`nodeRow`,
 * `nodeView`); the shapes live in @vigil/spec, which the server's views are typed with.
 */
export type { NodeContainer, NodeRow, NodesOverview, NodeView } from '@vigil/spec';
