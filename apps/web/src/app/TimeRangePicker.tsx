import { Button, Group, Popover, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { RANGE_PRESETS, useSetTimeRange, useTimeRange } from './time-range.ts';

/** `datetime-local` wants local time without a zone: `2024-05-01T13:45`. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * The header's time-range picker: a relative preset (15m … 7d) or an absolute from/to. Both write
 * `from`/`to` to the URL, so the view is linkable.
 */
export function TimeRangePicker() {
  const range = useTimeRange();
  const setRange = useSetTimeRange();
  const [open, setOpen] = useState(false);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const preset = range.to === 'now' ? RANGE_PRESETS.find((p) => p.from === range.from) : undefined;
  const fromMs = fromText === '' ? NaN : new Date(fromText).getTime();
  const toMs = toText === '' ? NaN : new Date(toText).getTime();
  const absoluteError =
    fromText === '' || toText === ''
      ? undefined
      : Number.isNaN(fromMs) || Number.isNaN(toMs)
        ? 'Enter both dates'
        : fromMs >= toMs
          ? '"From" must be before "to"'
          : undefined;

  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        aria-label="Time range"
        size="sm"
        w={170}
        data={[
          ...RANGE_PRESETS.map((p) => ({ value: p.from, label: p.label })),
          ...(preset ? [] : [{ value: 'custom', label: 'Custom range' }]),
        ]}
        value={preset?.from ?? 'custom'}
        allowDeselect={false}
        onChange={(v) => v && v !== 'custom' && setRange(v, 'now')}
      />
      <Popover
        opened={open}
        onChange={setOpen}
        position="bottom-end"
        trapFocus
        onOpen={() => {
          setFromText(toLocalInput(range.fromMs));
          setToText(toLocalInput(range.toMs));
        }}
      >
        <Popover.Target>
          <Button variant="default" size="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            Absolute range
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (absoluteError || Number.isNaN(fromMs) || Number.isNaN(toMs)) return;
              setRange(String(fromMs), String(toMs));
              setOpen(false);
            }}
          >
            <Stack gap="xs">
              <TextInput
                type="datetime-local"
                label="From"
                value={fromText}
                onChange={(e) => setFromText(e.currentTarget.value)}
              />
              <TextInput
                type="datetime-local"
                label="To"
                value={toText}
                onChange={(e) => setToText(e.currentTarget.value)}
                error={absoluteError}
              />
              <Text size="xs" c="dimmed">
                Times are in your browser&apos;s time zone.
              </Text>
              <Button type="submit" size="sm" disabled={absoluteError !== undefined}>
                Apply range
              </Button>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
