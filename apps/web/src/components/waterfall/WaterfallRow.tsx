import { memo, type CSSProperties } from 'react';
import { durationLabelPlacement, formatDurationNs } from './format.ts';
import { serviceColour } from './service-colour.ts';
import type { SpanRow } from './span-tree.ts';
import {
  DIMMED_TEXT_COLOUR,
  ERROR_COLOUR,
  ERROR_TEXT_COLOUR,
  NAME_COLUMN,
  ROW_HEIGHT_PX,
  plainButton,
  visuallyHidden,
} from './styles.ts';

/** Props of one waterfall row. */
export interface WaterfallRowProps {
  readonly row: SpanRow;
  /** 0-based position in the flattened list (for layout and aria-rowindex). */
  readonly index: number;
  readonly traceDurationNs: number;
  readonly selected: boolean;
  readonly onCriticalPath: boolean;
  readonly onToggle: (spanId: string) => void;
  readonly onSelect: (spanId: string) => void;
}

const INDENT_PX = 14;

/**
 * One span: indentation by depth, a collapse toggle, service and span name, and a bar placed by
 * start and duration. Memoised: scrolling re-renders the window, not rows whose props are equal.
 */
export const WaterfallRow = memo(function WaterfallRow(props: WaterfallRowProps) {
  const { row, index, traceDurationNs, selected, onCriticalPath, onToggle, onSelect } = props;
  const { span, startOffsetNs, orphan } = row.node;
  const isError = span.statusCode === 'Error';
  const total = traceDurationNs > 0 ? traceDurationNs : 1;
  const leftPct = (startOffsetNs / total) * 100;
  // A zero-length span still gets a visible sliver.
  const widthPct = Math.max((span.durationNs / total) * 100, 0.2);
  const rowStyle: CSSProperties = {
    position: 'absolute',
    top: index * ROW_HEIGHT_PX,
    left: 0,
    right: 0,
    height: ROW_HEIGHT_PX,
    display: 'flex',
    alignItems: 'center',
    fontSize: 13,
    background: selected ? 'rgba(34, 139, 230, 0.15)' : undefined,
    cursor: 'pointer',
  };
  const barStyle: CSSProperties = {
    position: 'absolute',
    left: `${leftPct}%`,
    width: `${widthPct}%`,
    top: 5,
    height: ROW_HEIGHT_PX - 10,
    borderRadius: 2,
    background: isError ? ERROR_COLOUR : serviceColour(span.serviceName),
    // The critical path gets a dark outline, so it reads without relying on hue.
    outline: onCriticalPath ? '2px solid #1a1b1e' : undefined,
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? !row.collapsed : undefined}
      aria-selected={selected}
      style={rowStyle}
      onClick={() => onSelect(span.spanId)}
    >
      <div
        role="gridcell"
        style={{
          width: NAME_COLUMN,
          paddingLeft: row.depth * INDENT_PX,
          display: 'flex',
          gap: 4,
          overflow: 'hidden',
        }}
      >
        {row.hasChildren ? (
          <button
            type="button"
            style={{ ...plainButton, width: 16 }}
            aria-label={`${row.collapsed ? 'Expand' : 'Collapse'} ${span.name}`}
            onClick={(e) => {
              e.stopPropagation(); // toggling must not also select the row
              onToggle(span.spanId);
            }}
          >
            {row.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span style={{ width: 16 }} />
        )}
        <button type="button" style={{ ...plainButton, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {isError && (
            <span style={{ color: ERROR_TEXT_COLOUR, fontWeight: 600 }} title="Error">
              ⚠ <span style={{ fontSize: 11 }}>error</span>{' '}
            </span>
          )}
          {orphan && (
            <span title="Parent span missing from this trace" style={{ color: DIMMED_TEXT_COLOUR }}>
              ⤴ <span style={{ fontSize: 11 }}>orphan</span>{' '}
            </span>
          )}
          {/* The service's colour as a dot: as text colour the bright bar hues fail contrast. */}
          <span
            aria-hidden
            style={{
              display: 'inline-block',
              width: 8,
              height: 8,
              borderRadius: 4,
              marginRight: 4,
              background: serviceColour(span.serviceName),
            }}
          />
          <span style={{ fontWeight: 600 }}>{span.serviceName}</span> {span.name}
          {onCriticalPath && <span style={visuallyHidden}> (on the critical path)</span>}
        </button>
      </div>
      <div role="gridcell" style={{ position: 'relative', flex: 1, height: '100%' }}>
        <div style={barStyle} />
        <span
          style={{
            position: 'absolute',
            ...durationLabelPlacement(leftPct, widthPct),
            top: 4,
            fontSize: 11,
            whiteSpace: 'nowrap',
            color: DIMMED_TEXT_COLOUR,
          }}
        >
          {formatDurationNs(span.durationNs)}
        </span>
      </div>
    </div>
  );
});
