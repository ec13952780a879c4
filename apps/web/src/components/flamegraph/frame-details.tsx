/** What the tooltip and the live region say about a frame, for plain and diff graphs. */
import type { ReactNode } from 'react';
import { Stack, Text } from '@mantine/core';
import type { DiffFlameGraphNode } from '@vigil/spec';
import { diffChange, isDiffNode } from './flame-colors.ts';
import type { FlameNodeLike } from './flame-layout.ts';
import { formatShare, formatValue } from './format-value.ts';

/** The root's totals, the denominators of every percentage. */
export interface GraphTotals {
  total: number;
  baseTotal: number;
}

function pct(v: number, of: number): string {
  return of > 0 ? formatShare(v / of) : '—';
}

function changeText(node: DiffFlameGraphNode, totals: GraphTotals): string {
  const c = diffChange(node, totals.total, totals.baseTotal);
  return `${c >= 0 ? '+' : ''}${(c * 100).toFixed(1)}%`;
}

/** A one-line description of a frame, read out by screen readers. */
export function frameSummary(node: FlameNodeLike, totals: GraphTotals, unit: string): string {
  const base = `${node.name}: total ${formatValue(node.total, unit)} (${pct(node.total, totals.total)}), self ${formatValue(node.self, unit)}`;
  if (!isDiffNode(node)) return base;
  return `${base}; base total ${formatValue(node.baseTotal, unit)} (${pct(node.baseTotal, totals.baseTotal)}), change ${changeText(node, totals)}`;
}

/** The tooltip body: name, self, total and % of total (and the base window's, in a diff). */
export function FrameDetails(props: { node: FlameNodeLike; totals: GraphTotals; unit: string }): ReactNode {
  const { node, totals, unit } = props;
  return (
    <Stack gap={2}>
      <Text fz="sm" fw={600} style={{ wordBreak: 'break-all' }}>
        {node.name}
      </Text>
      <Text fz="xs">
        Total: {formatValue(node.total, unit)} ({pct(node.total, totals.total)} of total)
      </Text>
      <Text fz="xs">
        Self: {formatValue(node.self, unit)} ({pct(node.self, totals.total)})
      </Text>
      {isDiffNode(node) && (
        <>
          <Text fz="xs">
            Base total: {formatValue(node.baseTotal, unit)} ({pct(node.baseTotal, totals.baseTotal)})
          </Text>
          <Text fz="xs">Change in share: {changeText(node, totals)}</Text>
        </>
      )}
    </Stack>
  );
}
