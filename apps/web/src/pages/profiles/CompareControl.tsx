/**
 * "Compare with": none, the previous period of the same length, or a chosen base window. A
 * comparison turns the flame graph into a diff flame graph.
 */
import type { ReactNode } from 'react';
import { Group, NativeSelect, TextInput } from '@mantine/core';
import type { CompareMode, ProfileSelection } from './profile-selection.ts';

export interface CompareControlProps {
  selection: ProfileSelection;
  onChange: (change: Partial<ProfileSelection>) => void;
}

const OPTIONS: Array<{ value: CompareMode; label: string }> = [
  { value: 'none', label: 'Nothing' },
  { value: 'previous', label: 'Previous period' },
  { value: 'window', label: 'A chosen window' },
];

/** ms since the epoch → the local `YYYY-MM-DDTHH:mm` a datetime-local input shows; '' if unset. */
export function toLocalInput(text: string): string {
  if (!/^\d+$/.test(text)) return '';
  const d = new Date(Number(text));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The datetime-local value (local time) → ms since the epoch as text; '' when incomplete. */
export function fromLocalInput(value: string): string {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? String(ms) : '';
}

/** The compare mode picker and, for a chosen window, its start and end. */
export function CompareControl({ selection, onChange }: CompareControlProps): ReactNode {
  return (
    <Group align="flex-end" gap="sm">
      <NativeSelect
        label="Compare with"
        data={OPTIONS}
        value={selection.compare}
        onChange={(e) => onChange({ compare: e.currentTarget.value as CompareMode })}
      />
      {selection.compare === 'window' && (
        <>
          <TextInput
            type="datetime-local"
            label="Base window start"
            value={toLocalInput(selection.baseFrom)}
            onChange={(e) => onChange({ baseFrom: fromLocalInput(e.currentTarget.value) })}
          />
          <TextInput
            type="datetime-local"
            label="Base window end"
            value={toLocalInput(selection.baseTo)}
            onChange={(e) => onChange({ baseTo: fromLocalInput(e.currentTarget.value) })}
          />
        </>
      )}
    </Group>
  );
}
