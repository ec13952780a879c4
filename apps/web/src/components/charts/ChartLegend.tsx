import { Group, UnstyledButton } from '@mantine/core';
import { lineColour } from './chart-theme.ts';
import { formatValue } from './format-unit.ts';

/** One entry of the legend. */
export interface LegendEntry {
  readonly name: string;
  /** The value shown: at the cursor while hovering, else the latest. */
  readonly value: number | null;
}

interface Props {
  readonly entries: readonly LegendEntry[];
  readonly unit: string;
  readonly hidden: ReadonlySet<number>;
  readonly scheme: 'light' | 'dark';
  readonly onToggle: (index: number) => void;
}

/**
 * The chart's legend: one toggle button per line (aria-pressed = shown), with the line's colour
 * and its value. A button rather than a checkbox so it reads "node-1 42%, toggle button, pressed".
 */
export function ChartLegend({ entries, unit, hidden, scheme, onToggle }: Props) {
  return (
    <Group gap="xs" wrap="wrap" role="group" aria-label="Lines">
      {entries.map((e, i) => {
        const shown = !hidden.has(i);
        return (
          <UnstyledButton
            key={`${i}:${e.name}`}
            aria-pressed={shown}
            title={shown ? `Hide ${e.name}` : `Show ${e.name}`}
            onClick={() => onToggle(i)}
            fz="xs"
            style={{ opacity: shown ? 1 : 0.45, display: 'inline-flex', alignItems: 'center', gap: 4 }}
          >
            <span
              aria-hidden="true"
              style={{
                width: 10,
                height: 3,
                borderRadius: 1,
                background: lineColour(i, scheme),
                display: 'inline-block',
              }}
            />
            <span>{e.name}</span>
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatValue(e.value, unit)}</span>
          </UnstyledButton>
        );
      })}
    </Group>
  );
}
