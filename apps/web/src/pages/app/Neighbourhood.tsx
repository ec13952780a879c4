import { Box, Text } from '@mantine/core';
import { useId } from 'react';
import { Link } from 'react-router';
import type { Status } from '../../api/types.ts';
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  layoutNeighbourhood,
  type Peer,
  type PlacedPeer,
} from './neighbourhood-layout.ts';

// Mantine's palette through its CSS variables, so both themes get their own shade.
const HEALTH_COLOUR: Record<Status, string> = {
  ok: 'var(--mantine-color-green-7)',
  warning: 'var(--mantine-color-orange-7)',
  critical: 'var(--mantine-color-red-7)',
  unknown: 'var(--mantine-color-gray-6)',
};
const EDGE_COLOUR: Record<Status, string> = { ...HEALTH_COLOUR, ok: 'var(--mantine-color-gray-5)' };

/** Longer names are cut to fit the box; the full name is in the link's label and tooltip. */
const MAX_NAME_CHARS = 22;
const fit = (name: string) => (name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name);

function NodeBox({ x, y, name, status }: { x: number; y: number; name: string; status: Status }) {
  return (
    <>
      <rect
        x={x + 1}
        y={y + 1}
        width={NODE_WIDTH - 2}
        height={NODE_HEIGHT - 2}
        rx={6}
        fill="var(--mantine-color-body)"
        stroke={HEALTH_COLOUR[status]}
        strokeWidth={2}
      />
      <circle cx={x + 14} cy={y + NODE_HEIGHT / 2} r={5} fill={HEALTH_COLOUR[status]} />
      <text x={x + 26} y={y + NODE_HEIGHT / 2 + 4} fontSize={13} fill="var(--mantine-color-text)">
        {fit(name)}
      </text>
    </>
  );
}

function PeerNode({ peer, appName, search }: { peer: PlacedPeer; appName: string; search: string }) {
  const relation = peer.side === 'client' ? `calls ${appName}` : `called by ${appName}`;
  const description = `${peer.name} (${peer.status}), ${relation}: ${peer.label}`;
  const box = <NodeBox x={peer.x} y={peer.y} name={peer.name} status={peer.status} />;
  if (!peer.known)
    return (
      <g role="img" aria-label={description}>
        <title>{description}</title>
        {box}
      </g>
    );
  // A router link inside the SVG: React creates it in the SVG namespace, where `href` works too.
  return (
    <Link to={`/apps/${encodeURIComponent(peer.appId)}?${search}`} aria-label={description}>
      <title>{description}</title>
      {box}
    </Link>
  );
}

/**
 * The application's neighbourhood: who calls it (left), whom it calls (right), each edge
 * labelled with its request rate, error share and p95 latency over the range and coloured by
 * its errors, each peer coloured by its health and opening its own page.
 */
export function Neighbourhood({
  appName,
  status,
  clients,
  dependencies,
  search,
}: {
  appName: string;
  status: Status;
  clients: readonly Peer[];
  dependencies: readonly Peer[];
  /** `from=…&to=…`, kept on the peers' links. */
  search: string;
}) {
  // One arrowhead per edge colour (marker fill cannot follow the line's stroke everywhere yet);
  // the id made safe for `url(#…)`.
  const markerPrefix = `arrow${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  if (clients.length === 0 && dependencies.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No connections to or from {appName} in this range.
      </Text>
    );
  const layout = layoutNeighbourhood(clients, dependencies);
  const more = (n: number, what: string) => (n > 0 ? `and ${n} more ${what}` : '');
  return (
    <Box>
      <svg
        role="group"
        aria-label={`Neighbourhood of ${appName}`}
        viewBox={`0 0 ${layout.widthPx} ${layout.heightPx}`}
        width="100%"
        style={{ maxWidth: layout.widthPx, display: 'block' }}
      >
        <defs>
          {Object.entries(EDGE_COLOUR).map(([health, colour]) => (
            <marker
              key={health}
              id={`${markerPrefix}-${health}`}
              viewBox="0 0 10 10"
              refX={10}
              refY={5}
              markerWidth={7}
              markerHeight={7}
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" fill={colour} />
            </marker>
          ))}
        </defs>
        {layout.peers.map((p) => (
          <g key={`${p.side}:${p.appId}`}>
            <polyline
              points={p.edge.map(([x, y]) => `${x},${y}`).join(' ')}
              fill="none"
              stroke={EDGE_COLOUR[p.figures.health]}
              strokeWidth={p.figures.health === 'ok' ? 1.5 : 2.5}
              markerEnd={`url(#${markerPrefix}-${p.figures.health})`}
            />
            {/* A halo in the page colour keeps the label readable where it crosses another edge. */}
            <text
              x={p.labelAt.x}
              y={p.labelAt.y}
              textAnchor={p.labelAt.anchor}
              fontSize={12}
              fill={p.figures.health === 'ok' ? 'var(--mantine-color-dimmed)' : EDGE_COLOUR[p.figures.health]}
              stroke="var(--mantine-color-body)"
              strokeWidth={3}
              paintOrder="stroke"
              aria-hidden="true"
            >
              {p.label}
            </text>
          </g>
        ))}
        {layout.peers.map((p) => (
          <PeerNode key={`${p.side}:${p.appId}:node`} peer={p} appName={appName} search={search} />
        ))}
        <g role="img" aria-label={`${appName} (${status})`}>
          <NodeBox x={layout.center.x} y={layout.center.y} name={appName} status={status} />
        </g>
      </svg>
      {(layout.hidden.client > 0 || layout.hidden.dependency > 0) && (
        <Text size="xs" c="dimmed">
          {[more(layout.hidden.client, 'clients'), more(layout.hidden.dependency, 'dependencies')]
            .filter(Boolean)
            .join('; ')}{' '}
          (the quietest are left out).
        </Text>
      )}
    </Box>
  );
}
