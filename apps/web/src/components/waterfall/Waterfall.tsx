import { useCallback, useMemo, useState } from 'react';
import type { TraceView } from '@vigil/spec';
import { criticalPath } from './critical-path.ts';
import { formatDurationNs } from './format.ts';
import { ServiceLegend } from './ServiceLegend.tsx';
import { SpanDetails } from './SpanDetails.tsx';
import { buildSpanTree, flattenSpanTree } from './span-tree.ts';
import { NAME_COLUMN, ROW_HEIGHT_PX } from './styles.ts';
import { timeTicks } from './time-ticks.ts';
import { useWindowedRows } from './use-windowed-rows.ts';
import { WaterfallRow } from './WaterfallRow.tsx';

/** Props of the trace waterfall. */
export interface WaterfallProps {
  readonly trace: TraceView;
  /** Height of the scrolling row area; rows outside it are not rendered. */
  readonly viewportHeightPx?: number;
}

/**
 * The trace waterfall: spans as a collapsible tree with bars on a shared time axis, the critical
 * path outlined, and a details panel for the clicked span. Only the rows in view are rendered.
 */
export function Waterfall({ trace, viewportHeightPx = 560 }: WaterfallProps) {
  // Derived once per trace: the tree, the critical path and the service list.
  const tree = useMemo(() => buildSpanTree(trace.spans), [trace]);
  const critical = useMemo(() => criticalPath(trace.spans), [trace]);
  const services = useMemo(() => [...new Set(trace.spans.map((s) => s.serviceName))].sort(), [trace]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [showCritical, setShowCritical] = useState(true);
  const rows = useMemo(() => flattenSpanTree(tree.roots, collapsed), [tree, collapsed]);
  const inView = useWindowedRows(rows.length, ROW_HEIGHT_PX, viewportHeightPx);

  const onToggle = useCallback((spanId: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(spanId)) next.add(spanId);
      return next;
    });
  }, []);
  const onSelect = useCallback((spanId: string) => setSelectedId(spanId), []);
  const selected = selectedId === undefined ? undefined : tree.byId.get(selectedId);
  const errorCount = useMemo(() => trace.spans.filter((s) => s.statusCode === 'Error').length, [trace]);

  if (trace.spans.length === 0) return <p>This trace has no spans.</p>;
  const ticks = timeTicks(tree.traceDurationNs);
  const visible = rows.slice(inView.start, inView.end);
  return (
    <div>
      <p style={{ margin: '4px 0', fontSize: 13 }}>
        {trace.spans.length.toLocaleString()} spans · {services.length} services ·{' '}
        {formatDurationNs(tree.traceDurationNs)}
        {errorCount > 0 && ` · ⚠ ${errorCount} with errors`}
      </p>
      <div style={{ display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
        <ServiceLegend services={services} />
        <label style={{ fontSize: 12 }}>
          <input
            type="checkbox"
            checked={showCritical}
            onChange={(e) => setShowCritical(e.currentTarget.checked)}
          />{' '}
          Highlight critical path
        </label>
        <button type="button" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
      </div>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: selected ? 'minmax(0, 2fr) minmax(280px, 1fr)' : '1fr',
        }}
      >
        <div
          role="treegrid"
          aria-label="Trace waterfall"
          aria-rowcount={rows.length}
          style={{ fontSize: 13 }}
        >
          <div role="rowgroup">
            <div role="row" style={{ display: 'flex', height: 22, borderBottom: '1px solid #dee2e6' }}>
              <div role="columnheader" style={{ width: NAME_COLUMN }}>
                Service and span
              </div>
              <div role="columnheader" aria-label="Time" style={{ position: 'relative', flex: 1 }}>
                {ticks.map((t) => (
                  <span
                    key={t}
                    aria-hidden
                    style={{
                      position: 'absolute',
                      left: `${(t / Math.max(tree.traceDurationNs, 1)) * 100}%`,
                      transform: t === 0 ? undefined : 'translateX(-100%)',
                      fontSize: 11,
                      color: 'var(--mantine-color-dimmed)',
                      // The line marks the tick: left of the first label, right of the others.
                      [t === 0 ? 'borderLeft' : 'borderRight']: '1px solid #ced4da',
                      padding: '0 2px',
                    }}
                  >
                    {formatDurationNs(t)}
                  </span>
                ))}
              </div>
            </div>
          </div>
          <div
            role="rowgroup"
            style={{ height: viewportHeightPx, overflowY: 'auto' }}
            onScroll={inView.onScroll}
          >
            <div style={{ position: 'relative', height: inView.totalHeightPx }}>
              {visible.map((row, i) => (
                <WaterfallRow
                  key={row.node.span.spanId + ':' + (inView.start + i)}
                  row={row}
                  index={inView.start + i}
                  traceDurationNs={tree.traceDurationNs}
                  selected={row.node.span.spanId === selectedId}
                  onCriticalPath={showCritical && critical.has(row.node.span.spanId)}
                  onToggle={onToggle}
                  onSelect={onSelect}
                />
              ))}
            </div>
          </div>
        </div>
        {selected && (
          <SpanDetails
            span={selected.span}
            startOffsetNs={selected.startOffsetNs}
            orphan={selected.orphan}
            onClose={() => setSelectedId(undefined)}
          />
        )}
      </div>
    </div>
  );
}
