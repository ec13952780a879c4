/** The legend of a diff flame graph: what red, grey and blue mean. */
import type { ReactNode } from 'react';
import { Group, Text } from '@mantine/core';
import { DIFF_NEUTRAL_BAND, diffColor } from './flame-colors.ts';

const STEPS = [-1, -0.6, -0.3, 0, 0.3, 0.6, 1];

/** A colour ramp from "shrank" (blue) to "grew" (red), with the neutral band spelled out. */
export function DiffLegend(): ReactNode {
  return (
    <Group gap="xs" aria-label="Diff colour legend" role="group">
      <Text fz="sm">Shrank</Text>
      <Group gap={0} aria-hidden>
        {STEPS.map((s) => (
          <span
            key={s}
            style={{ width: 24, height: 12, background: diffColor(s), display: 'inline-block' }}
          />
        ))}
      </Group>
      <Text fz="sm">Grew</Text>
      <Text fz="xs" c="dimmed">
        Blue: a smaller share of the total than in the base window; red: a larger one; grey: within ±
        {DIFF_NEUTRAL_BAND * 100}%. Width is current and base share together.
      </Text>
    </Group>
  );
}
