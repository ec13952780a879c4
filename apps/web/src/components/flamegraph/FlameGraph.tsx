/**
 * A flame graph of a profile, or a diff flame graph of two windows: canvas drawing, zoom with a
 * breadcrumb, search with the matched share, and the sortable top table as the accessible view.
 */
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { Anchor, Breadcrumbs, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { DiffFlameGraphNode, FlameGraphNode } from '@vigil/spec';
import { DiffLegend } from './DiffLegend.tsx';
import { FlameCanvas } from './FlameCanvas.tsx';
import { DIMMED_COLOR, diffChange, diffColor, isDiffNode, packageColor } from './flame-colors.ts';
import { ancestorsAtPath, layoutFlameGraph, nodeAtPath, type FlameRect } from './flame-layout.ts';
import { frameMatches, functionStats, searchFlameGraph } from './flame-stats.ts';
import { FrameDetails, frameSummary, type GraphTotals } from './frame-details.tsx';
import { formatShare, formatValue } from './format-value.ts';
import { TopTable } from './TopTable.tsx';
import { useElementWidth } from '../use-element-width.ts';

export interface FlameGraphProps {
  root: FlameGraphNode | DiffFlameGraphNode;
  /** Unit of the values (`nanoseconds`, `bytes`, `samples`…), see unitOf(). */
  unit: string;
}

/** A (diff) flame graph with zoom, search, tooltip and top table. */
export function FlameGraph({ root, unit }: FlameGraphProps): ReactNode {
  const containerRef = useRef<HTMLDivElement>(null);
  const widthPx = useElementWidth(containerRef, 960);
  // Zoom is remembered with the graph it belongs to, so a new graph starts unzoomed.
  const [zoom, setZoom] = useState<{ root: unknown; path: readonly number[] }>({ root, path: [] });
  const [query, setQuery] = useState('');
  const path = zoom.root === root ? zoom.path : [];
  const focus = nodeAtPath(root, path) ?? root;
  const ancestors = ancestorsAtPath(root, path);
  const totals: GraphTotals = { total: root.total, baseTotal: isDiffNode(root) ? root.baseTotal : 0 };

  const rects = useMemo(() => {
    if (!isDiffNode(focus)) return layoutFlameGraph(focus, widthPx);
    // Diff widths add the current and base shares, so frames that vanished are still visible
    // and children never outgrow their parent.
    const t = totals.total || 1;
    const b = totals.baseTotal || 1;
    return layoutFlameGraph(focus, widthPx, { weight: (n) => n.total / t + n.baseTotal / b });
  }, [focus, widthPx, totals.total, totals.baseTotal]);

  const colorOf = useCallback(
    (r: FlameRect): string => {
      if (query.trim() !== '' && !frameMatches(r.node.name, query)) return DIMMED_COLOR;
      return isDiffNode(r.node)
        ? diffColor(diffChange(r.node, totals.total, totals.baseTotal))
        : packageColor(r.node.name);
    },
    [query, totals.total, totals.baseTotal],
  );

  const stats = useMemo(() => functionStats(focus, focus !== root), [focus, root]);
  const search = useMemo(() => searchFlameGraph(root, query), [root, query]);
  const zoomTo = (p: readonly number[]): void => setZoom({ root, path: p });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <TextInput
          label="Search frames"
          placeholder="function or package"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={320}
        />
        <Text role="status" fz="sm" c="dimmed">
          {query.trim() === ''
            ? ''
            : `${search.frames} matching ${search.frames === 1 ? 'frame' : 'frames'}, ${formatShare(search.share)} of total (${formatValue(search.value, unit)})`}
        </Text>
        <Button variant="default" size="xs" disabled={path.length === 0} onClick={() => zoomTo([])}>
          Reset zoom
        </Button>
      </Group>
      {path.length > 0 && (
        <nav aria-label="Zoom path">
          <Breadcrumbs separator="›">
            {ancestors.map((a, i) => (
              <Anchor
                component="button"
                type="button"
                key={i}
                fz="sm"
                onClick={() => zoomTo(path.slice(0, i))}
              >
                {a.name}
              </Anchor>
            ))}
            <Text fz="sm" fw={600} aria-current="location">
              {focus.name}
            </Text>
          </Breadcrumbs>
        </nav>
      )}
      {isDiffNode(root) && <DiffLegend />}
      <div ref={containerRef} style={{ width: '100%' }}>
        <FlameCanvas
          rects={rects}
          widthPx={widthPx}
          colorOf={colorOf}
          label={`${isDiffNode(root) ? 'Diff flame graph' : 'Flame graph'} of ${focus.name}, ${rects.length} frames shown. Arrow keys move between frames, Enter zooms in, Escape resets the zoom. The table below lists the same functions.`}
          describe={(r) => <FrameDetails node={r.node} totals={totals} unit={unit} />}
          announce={(r) => frameSummary(r.node, totals, unit)}
          onZoom={(r) => zoomTo([...path, ...r.path])}
          onReset={() => zoomTo([])}
        />
      </div>
      <TopTable
        stats={stats}
        grandTotal={root.total}
        unit={unit}
        caption={path.length > 0 ? `Top functions under ${focus.name}` : 'Top functions'}
      />
    </Stack>
  );
}
