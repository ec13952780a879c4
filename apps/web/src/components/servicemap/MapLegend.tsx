import { Group, Text } from '@mantine/core';
import type { Status } from '../../api/types.ts';
import { HEALTH_STYLE } from './cy-style.ts';

const SYMBOL: Record<Status, string> = { ok: '●', warning: '◆', critical: '⯃', unknown: '▢' };

/** The health legend: each health's colour, shape and name, and what a dashed edge means. */
export function MapLegend() {
  return (
    <Group gap="md" component="ul" aria-label="Legend" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {(Object.keys(HEALTH_STYLE) as Status[]).map((s) => (
        <Group key={s} gap={4} component="li">
          <Text span aria-hidden style={{ color: HEALTH_STYLE[s].border, fontSize: 18, lineHeight: 1 }}>
            {SYMBOL[s]}
          </Text>
          <Text span size="sm">
            {HEALTH_STYLE[s].label}
          </Text>
        </Group>
      ))}
      <Group gap={4} component="li">
        <Text span aria-hidden style={{ color: '#e03131', letterSpacing: -1 }}>
          - - →
        </Text>
        <Text span size="sm">
          Errors or failed connections
        </Text>
      </Group>
      <Text span size="sm" c="dimmed" component="li">
        Thicker edge: more requests
      </Text>
    </Group>
  );
}
