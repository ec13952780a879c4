import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { parseAttributeFilter, type TraceFilters } from './trace-search-params.ts';

/** Props of the search form. */
export interface TraceSearchFormProps {
  /** The filters in the URL; the form starts from them (re-key the form to reset it). */
  readonly initial: TraceFilters;
  /** Services that sent traces recently, for the picker. */
  readonly services: readonly string[];
  readonly onSearch: (filters: TraceFilters) => void;
}

const numberText = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** Service, span name, duration band, status and one attribute filter. */
export function TraceSearchForm({ initial, services, onSearch }: TraceSearchFormProps) {
  const [service, setService] = useState(initial.service ?? '');
  const [spanName, setSpanName] = useState(initial.spanName ?? '');
  const [minMs, setMinMs] = useState(numberText(initial.minDurationMs));
  const [maxMs, setMaxMs] = useState(numberText(initial.maxDurationMs));
  const [status, setStatus] = useState<string>(initial.status ?? '');
  // The form edits one attribute filter; further `attr.*` params (hand-written URLs) are dropped on submit.
  const [firstKey, firstValue] = Object.entries(initial.attributes)[0] ?? [];
  const [attribute, setAttribute] = useState(firstKey === undefined ? '' : `${firstKey}=${firstValue}`);
  const [error, setError] = useState<string | undefined>();

  // A service from the URL that is not in the recent list must still be selectable.
  const serviceOptions = [...new Set([...services, ...(initial.service ? [initial.service] : [])])].sort();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const attributes = parseAttributeFilter(attribute);
    const min = minMs.trim() === '' ? undefined : Number(minMs);
    const max = maxMs.trim() === '' ? undefined : Number(maxMs);
    if (attributes === undefined) return setError('Attribute filters look like key=value');
    if ((min !== undefined && !(min >= 0)) || (max !== undefined && !(max >= 0)))
      return setError('Durations are milliseconds, 0 or more');
    if (min !== undefined && max !== undefined && min > max)
      return setError('Min duration is larger than max duration');
    setError(undefined);
    onSearch({
      service: service || undefined,
      spanName: spanName.trim() || undefined,
      minDurationMs: min,
      maxDurationMs: max,
      status: status === 'ok' || status === 'error' ? status : undefined,
      attributes,
    });
  };

  return (
    <form onSubmit={submit} aria-label="Trace search">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label="Service"
          value={service}
          onChange={(e) => setService(e.currentTarget.value)}
          data={[{ value: '', label: 'Any service' }, ...serviceOptions.map((s) => ({ value: s, label: s }))]}
        />
        <TextInput label="Span name" value={spanName} onChange={(e) => setSpanName(e.currentTarget.value)} />
        <TextInput
          label="Min duration (ms)"
          inputMode="decimal"
          w={130}
          value={minMs}
          onChange={(e) => setMinMs(e.currentTarget.value)}
        />
        <TextInput
          label="Max duration (ms)"
          inputMode="decimal"
          w={130}
          value={maxMs}
          onChange={(e) => setMaxMs(e.currentTarget.value)}
        />
        <NativeSelect
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: '', label: 'Any' },
            { value: 'error', label: 'Error' },
            { value: 'ok', label: 'OK' },
          ]}
        />
        <TextInput
          label="Attribute (key=value)"
          placeholder="http.route=/cart"
          value={attribute}
          onChange={(e) => setAttribute(e.currentTarget.value)}
          error={error}
        />
        <Button type="submit">Search</Button>
      </Group>
    </form>
  );
}
