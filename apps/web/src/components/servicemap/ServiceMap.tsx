import { ActionIcon, Box, Group, Paper, Text, Tooltip } from '@mantine/core';
import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import {
  edgeClasses,
  fitBounds,
  nodeClasses,
  placeElements,
  structureKey,
  toElements,
} from './cy-elements.ts';
import { MAP_STYLE } from './cy-style.ts';
import type { MapLayout } from './layered-layout.ts';
import type { Graph } from './map-types.ts';
import { edgeTooltip, nodeTooltip } from './tooltip-text.ts';

/** Props of ServiceMap. */
export interface ServiceMapProps {
  readonly graph: Graph;
  /** Where everything goes (layered-layout.ts), computed from the graph's structure. */
  readonly layout: MapLayout;
  /** A click (tap) on an application. */
  readonly onOpenApp: (appId: string) => void;
  /** No canvas: for jsdom, which has none. Events and the model work the same. */
  readonly headless?: boolean;
  /** The cytoscape core once made (tests drive it; the page marks timings). */
  readonly onReady?: (cy: Core) => void;
  /** After the layout was applied and a frame drawn with it. */
  readonly onDrawn?: (layout: MapLayout) => void;
  readonly heightPx?: number;
}

/**
 * Elements added per main-thread task: styling and measuring 2,500 elements at once was one task
 * of 0.4–0.7 s; in slices of this size no task holds the page for long.
 */
const SLICE_ELEMENTS = 600;

function inSlices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length === 0 ? [[]] : out;
}

interface Hover {
  readonly x: number;
  readonly y: number;
  readonly title: string;
  readonly lines: readonly string[];
}

/**
 * The service map drawn by cytoscape (canvas) at the places layered-layout.ts computed (`preset`:
 * cytoscape runs no layout of its own), with zoom, pan, fit, hover tooltips, and a click that
 * opens the application. Matches of a search are centred when they change. A new structure is
 * added in slices, one main-thread task each (SLICE_ELEMENTS), so the page never freezes for long.
 */
export function ServiceMap({
  graph,
  layout,
  onOpenApp,
  headless,
  onReady,
  onDrawn,
  heightPx = 640,
}: ServiceMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | undefined>(undefined);
  const structure = useRef('');
  /** The layout the elements were last placed at, so an unchanged one is not applied twice. */
  const placed = useRef<MapLayout | undefined>(undefined);
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

  // Elements: rebuilt when the structure changes, else only search classes and places move.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      structure.current = structureKey(graph);
      placed.current = layout;
      if (headless) return latest.current.onDrawn?.(layout);
      requestAnimationFrame(() => requestAnimationFrame(() => latest.current.onDrawn?.(layout)));
    };
    const rebuilt = structureKey(graph) !== structure.current;
    if (!rebuilt && placed.current === layout) {
      cy.batch(() => {
        for (const n of graph.nodes) cy.getElementById(n.id).classes(nodeClasses(n));
        for (const e of graph.edges) cy.getElementById(e.id).classes(edgeClasses(e));
      });
      return;
    }
    if (!rebuilt) {
      cy.batch(() => placeElements(cy, graph, layout));
      if (!headless) fitBounds(cy, layout.bounds);
      done();
      return;
    }
    cy.elements().remove();
    structure.current = '';
    // Fitted once, before the first slice: the map fills in where it stays, and a pan made
    // while it fills in is kept.
    if (!headless) fitBounds(cy, layout.bounds);
    const slices = inSlices(toElements(graph, layout), headless ? Infinity : SLICE_ELEMENTS);
    const addSlice = (i: number): void => {
      const added = cy.add(slices[i] ?? []);
      if (i + 1 === slices.length) return done();
      // Styles and sizes now, in this slice's task, rather than all at once in the first frame.
      added.boundingBox();
      timer = setTimeout(() => addSlice(i + 1), 0);
    };
    if (headless) addSlice(0);
    // Tasks of their own, after the React commit that built the graph and its layout.
    else timer = setTimeout(() => addSlice(0), 0);
    return () => clearTimeout(timer);
  }, [graph, layout, headless]);

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
            onClick={() => cyRef.current && fitBounds(cyRef.current, layout.bounds)}
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
