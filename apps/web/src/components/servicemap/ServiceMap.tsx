import { ActionIcon, Box, Group, Paper, Text, Tooltip } from '@mantine/core';
import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import { structureKey, toElements } from './cy-elements.ts';
import { MAP_STYLE } from './cy-style.ts';
import type { Graph, Positions } from './map-types.ts';
import { edgeTooltip, nodeTooltip } from './tooltip-text.ts';

/** Props of ServiceMap. */
export interface ServiceMapProps {
  readonly graph: Graph;
  readonly positions: Positions;
  /** A click (tap) on an application. */
  readonly onOpenApp: (appId: string) => void;
  /** No canvas: for jsdom, which has none. Events and the model work the same. */
  readonly headless?: boolean;
  /** The cytoscape core once made (tests drive it; the page marks timings). */
  readonly onReady?: (cy: Core) => void;
  /** After positions were applied and a frame drawn with them. */
  readonly onDrawn?: (positions: Positions) => void;
  readonly heightPx?: number;
}

interface Hover {
  readonly x: number;
  readonly y: number;
  readonly title: string;
  readonly lines: readonly string[];
}

/**
 * The service map drawn by cytoscape (canvas) at precomputed positions (`preset`: no layout on
 * the main thread), with zoom, pan, fit, hover tooltips, and a click that opens the application.
 * Matches of a search are centred when they change.
 */
export function ServiceMap({
  graph,
  positions,
  onOpenApp,
  headless,
  onReady,
  onDrawn,
  heightPx = 640,
}: ServiceMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | undefined>(undefined);
  const structure = useRef('');
  /** The positions the elements were last placed at, so an unchanged set is not applied twice. */
  const placed = useRef<Positions | undefined>(undefined);
  const latest = useRef({ graph, onOpenApp, onDrawn });
  latest.current = { graph, onOpenApp, onDrawn };
  const [hover, setHover] = useState<Hover | undefined>();

  useEffect(() => {
    const cy = cytoscape({
      ...(headless
        ? { headless: true, styleEnabled: false }
        : { container: container.current, style: MAP_STYLE }),
      layout: { name: 'preset' },
      minZoom: 0.02,
      maxZoom: 4,
      // Both cut the cost of a frame at 2,000 edges: edges are not redrawn while panning, and
      // the canvas is not resampled for high-DPI screens.
      hideEdgesOnViewport: true,
      pixelRatio: 1,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    cy.on('tap', 'node', (e) => {
      const node = e.target as cytoscape.NodeSingular;
      if (!node.hasClass('group') && !node.hasClass('external')) latest.current.onOpenApp(node.id());
    });
    cy.on('mouseover', 'node, edge', (e) => {
      const el = e.target as cytoscape.SingularElementArgument;
      const g = latest.current.graph;
      el.addClass('hover');
      const p = e.renderedPosition ?? { x: 0, y: 0 };
      const label = (id: string) => g.nodes.find((n) => n.id === id)?.label ?? id;
      const text = el.isNode()
        ? (() => {
            const n = g.nodes.find((x) => x.id === el.id());
            return n ? nodeTooltip(n) : undefined;
          })()
        : (() => {
            const ed = g.edges.find((x) => x.id === el.id());
            return ed ? edgeTooltip(ed, label) : undefined;
          })();
      setHover(text ? { x: p.x, y: p.y, ...text } : undefined);
    });
    cy.on('mouseout', 'node, edge', (e) => {
      (e.target as cytoscape.SingularElementArgument).removeClass('hover');
      setHover(undefined);
    });
    cyRef.current = cy;
    structure.current = '';
    onReady?.(cy);
    return () => {
      cy.destroy();
      cyRef.current = undefined;
    };
    // The core is made once per mount; the handlers read the latest props through a ref.
  }, [headless]);

  // Elements: rebuilt when the structure changes, else only the search classes move.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const key = structureKey(graph);
    const elements = toElements(graph, positions);
    cy.batch(() => {
      if (key !== structure.current) {
        cy.elements().remove();
        cy.add(elements);
      } else
        for (const el of elements) if (el.data.id) cy.getElementById(el.data.id).classes(el.classes ?? '');
    });
    if (key !== structure.current) placed.current = positions;
    structure.current = key;
    // positions are applied by the effect below; adding them here too avoids a first frame at 0,0
  }, [graph, headless]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    if (placed.current !== positions) {
      // One positions() call over the collection: per-node position() made a collection and
      // re-measured the compound parents each time, about a second at 500 nodes.
      cy.nodes(':childless').positions((n) => positions.get(n.id()) ?? n.position());
      placed.current = positions;
    }
    if (!headless) cy.fit(undefined, 24);
    const done = () => latest.current.onDrawn?.(positions);
    if (headless) done();
    else requestAnimationFrame(() => requestAnimationFrame(done));
  }, [positions, headless]);

  // Centre on what the search found (all matches, or the one).
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || headless || graph.matches.length === 0) return;
    const ids = new Set(graph.matches);
    const found = cy.nodes().filter((n) => ids.has(n.id()));
    cy.animate({ fit: { eles: found.closedNeighborhood(), padding: 48 } }, { duration: 250 });
  }, [graph.matches, headless]);

  const zoomBy = (factor: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <Box pos="relative">
      <Box
        ref={container}
        role="img"
        aria-label={`Service map: ${graph.nodes.length} applications, ${graph.edges.length} connections`}
        h={heightPx}
        style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
      />
      <Group gap={4} pos="absolute" top={8} right={8}>
        <Tooltip label="Zoom in">
          <ActionIcon variant="default" aria-label="Zoom in" onClick={() => zoomBy(1.25)}>
            +
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Zoom out">
          <ActionIcon variant="default" aria-label="Zoom out" onClick={() => zoomBy(0.8)}>
            −
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Fit the whole map">
          <ActionIcon
            variant="default"
            aria-label="Fit map"
            onClick={() => cyRef.current?.fit(undefined, 24)}
          >
            ⤢
          </ActionIcon>
        </Tooltip>
      </Group>
      {hover && (
        <Paper
          role="tooltip"
          shadow="md"
          p="xs"
          withBorder
          pos="absolute"
          style={{ left: hover.x + 12, top: hover.y + 12, pointerEvents: 'none', maxWidth: 320, zIndex: 2 }}
        >
          <Text size="sm" fw={600}>
            {hover.title}
          </Text>
          {hover.lines.map((l) => (
            <Text key={l} size="xs">
              {l}
            </Text>
          ))}
        </Paper>
      )}
    </Box>
  );
}
