import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { formatAttributeText, parseAttributeText, SEVERITY_LEVELS, type LogFilters } from './log-filters.ts';

export interface LogFiltersFormProps {
  /** The filters in the URL; the form starts from them (re-key the form to reset it). */
  readonly initial: LogFilters;
  /** Services to offer, e.g. from `/api/v1/services`. */
  readonly services: readonly string[];
  readonly onSubmit: (filters: LogFilters) => void;
}

/** Service, severities, attribute `key=value` pairs and full-text tokens; applied on submit. */
export function LogFiltersForm({ initial, services, onSubmit }: LogFiltersFormProps) {
  const [service, setService] = useState(initial.service ?? '');
  const [severities, setSeverities] = useState<string[]>([...initial.severities]);
  const [attributeText, setAttributeText] = useState(formatAttributeText(initial.attributes));
  const [search, setSearch] = useState(initial.search ?? '');
  const parsed = parseAttributeText(attributeText);
  const attributeError =
    parsed.invalid.length > 0 ? `Write attributes as key=value: ${parsed.invalid.join(', ')}` : undefined;
  // A service from the URL stays selectable even when it sent nothing in the current range.
  const options = [...new Set([...services, ...(initial.service ? [initial.service] : [])])].sort();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (attributeError) return;
    onSubmit({
      service: service || undefined,
      severities,
      attributes: parsed.attributes,
      search: search.trim() || undefined,
    });
  };

  return (
    <form onSubmit={submit} aria-label="Log filters">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <NativeSelect
            label="Service"
            value={service}
            onChange={(e) => setService(e.currentTarget.value)}
            data={[{ value: '', label: 'Any service' }, ...options.map((s) => ({ value: s, label: s }))]}
          />
          <TextInput
            label="Search"
            placeholder="timeout payment"
            description="Whole words; all must appear"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={260}
          />
          <TextInput
            label="Attributes"
            placeholder="k8s.namespace.name=shop, http.route=/cart"
            description="key=value pairs, comma-separated"
            value={attributeText}
            onChange={(e) => setAttributeText(e.currentTarget.value)}
            error={attributeError}
            w={320}
          />
          <Button type="submit">Apply filters</Button>
        </Group>
        <Checkbox.Group label="Severity" value={severities} onChange={setSeverities}>
          <Group gap="md" mt={4}>
            {SEVERITY_LEVELS.map((level) => (
              <Checkbox key={level} value={level} label={level} size="xs" />
            ))}
          </Group>
        </Checkbox.Group>
      </Stack>
    </form>
  );
}
