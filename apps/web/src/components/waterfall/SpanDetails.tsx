import type { Attributes, SpanView } from '@vigil/spec';
import { formatDurationNs } from './format.ts';
import { ERROR_TEXT_COLOUR, plainButton } from './styles.ts';

/** Props of the details panel. */
export interface SpanDetailsProps {
  readonly span: SpanView;
  /** Start of the span relative to the trace start, ns. */
  readonly startOffsetNs: number;
  readonly orphan: boolean;
  readonly onClose: () => void;
}

const cell = { padding: '2px 8px', borderBottom: '1px solid #dee2e6', verticalAlign: 'top' } as const;

function AttributeTable({ caption, attributes }: { caption: string; attributes: Attributes }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p style={{ fontSize: 13 }}>No {caption.toLowerCase()}.</p>;
  return (
    <table style={{ borderCollapse: 'collapse', fontSize: 13, width: '100%', marginBottom: 8 }}>
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>{caption}</caption>
      <thead>
        <tr>
          <th style={{ ...cell, textAlign: 'left' }}>Key</th>
          <th style={{ ...cell, textAlign: 'left' }}>Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <td style={{ ...cell, fontFamily: 'monospace' }}>{key}</td>
            <td style={{ ...cell, wordBreak: 'break-all' }}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Span events with their time relative to the span start. */
function EventList({ span }: { span: SpanView }) {
  if (span.events.length === 0) return <p style={{ fontSize: 13 }}>No events.</p>;
  const spanStart = BigInt(span.startTimeUnixNano);
  return (
    <table style={{ borderCollapse: 'collapse', fontSize: 13, width: '100%' }}>
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>Events</caption>
      <thead>
        <tr>
          <th style={{ ...cell, textAlign: 'left' }}>Offset</th>
          <th style={{ ...cell, textAlign: 'left' }}>Name</th>
          <th style={{ ...cell, textAlign: 'left' }}>Attributes</th>
        </tr>
      </thead>
      <tbody>
        {span.events.map((event, i) => (
          <tr key={i}>
            <td style={cell}>+{formatDurationNs(Number(BigInt(event.timeUnixNano) - spanStart))}</td>
            <td style={cell}>{event.name}</td>
            <td style={{ ...cell, fontFamily: 'monospace', wordBreak: 'break-all' }}>
              {Object.entries(event.attributes)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The selected span: timing, status, attributes, resource and events. */
export function SpanDetails({ span, startOffsetNs, orphan, onClose }: SpanDetailsProps) {
  const isError = span.statusCode === 'Error';
  return (
    <section
      aria-label={`Span details: ${span.name}`}
      style={{ borderLeft: '1px solid #dee2e6', padding: '0 12px', overflow: 'auto', minWidth: 0 }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <h3 style={{ margin: '4px 0' }}>{span.name}</h3>
        <button
          type="button"
          style={{ ...plainButton, fontSize: 18 }}
          aria-label="Close span details"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 12px', fontSize: 13 }}>
        <dt>Service</dt>
        <dd style={{ margin: 0 }}>{span.serviceName}</dd>
        <dt>Duration</dt>
        <dd style={{ margin: 0 }}>{formatDurationNs(span.durationNs)}</dd>
        <dt>Starts at</dt>
        <dd style={{ margin: 0 }}>+{formatDurationNs(startOffsetNs)}</dd>
        <dt>Kind</dt>
        <dd style={{ margin: 0 }}>{span.kind}</dd>
        <dt>Status</dt>
        <dd style={{ margin: 0, color: isError ? ERROR_TEXT_COLOUR : undefined }}>
          {isError ? '⚠ ' : ''}
          {span.statusCode}
          {span.statusMessage !== '' && `: ${span.statusMessage}`}
        </dd>
        <dt>Span ID</dt>
        <dd style={{ margin: 0, fontFamily: 'monospace' }}>{span.spanId}</dd>
        <dt>Parent</dt>
        <dd style={{ margin: 0, fontFamily: 'monospace' }}>
          {span.parentSpanId === '' ? '(root)' : span.parentSpanId}
          {orphan && ' (missing from this trace)'}
        </dd>
      </dl>
      <AttributeTable caption="Attributes" attributes={span.attributes} />
      <AttributeTable caption="Resource" attributes={span.resourceAttributes} />
      <EventList span={span} />
    </section>
  );
}
