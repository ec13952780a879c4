import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import {
  keys,
  useSend,
  type InspectionsAnswer,
  type TabProps,
  type ThresholdOverride,
} from './settings-api.ts';

/** The form's text per check: empty means "the default". */
interface Row {
  warning: string;
  critical: string;
  disabled: boolean;
}

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));

function rowsOf(answer: InspectionsAnswer): Record<string, Row> {
  const rows: Record<string, Row> = {};
  for (const id of Object.keys(answer.defaults)) {
    const o = answer.project[id] ?? {};
    rows[id] = { warning: text(o.warning), critical: text(o.critical), disabled: o.disabled === true };
  }
  return rows;
}

/** The overrides to send, or the first field that is not a number. */
function overridesOf(rows: Record<string, Row>): Record<string, ThresholdOverride> | { invalid: string } {
  const out: Record<string, ThresholdOverride> = {};
  for (const [id, r] of Object.entries(rows)) {
    const o: { warning?: number; critical?: number; disabled?: boolean } = {};
    for (const field of ['warning', 'critical'] as const) {
      const raw = r[field].trim();
      if (raw === '') continue;
      const n = Number(raw);
      if (!Number.isFinite(n)) return { invalid: `${id} ${field}` };
      o[field] = n;
    }
    if (r.disabled) o.disabled = true;
    if (Object.keys(o).length > 0) out[id] = o;
  }
  return out;
}

/** The inspection thresholds of the project (Editor to change): one row per check. */
export function InspectionsTab({ project }: TabProps) {
  const answer = useQuery({
    queryKey: keys.inspections(project),
    queryFn: () => apiGet<InspectionsAnswer>('/api/v1/inspections', { project }),
  });
  if (answer.error) return <ApiErrorAlert title="Could not load the thresholds" error={answer.error} />;
  if (!answer.data) return <Text>Loading thresholds…</Text>;
  // Re-keyed on the saved values so a reload after saving starts from what the server kept.
  return <ThresholdsForm key={JSON.stringify(answer.data.project)} project={project} answer={answer.data} />;
}

function ThresholdsForm({ project, answer }: { project: string; answer: InspectionsAnswer }) {
  const [rows, setRows] = useState(() => rowsOf(answer));
  const [invalid, setInvalid] = useState<string | undefined>();
  const save = useSend<Record<string, ThresholdOverride>>(
    'PUT',
    () => apiUrl('/api/v1/inspections', { project }),
    keys.inspections(project),
  );
  const set = (id: string, change: Partial<Row>): void =>
    setRows((prev) => ({
      ...prev,
      [id]: { ...(prev[id] ?? { warning: '', critical: '', disabled: false }), ...change },
    }));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const result = overridesOf(rows);
    if ('invalid' in result && typeof result.invalid === 'string') return setInvalid(result.invalid);
    setInvalid(undefined);
    save.mutate(result as Record<string, ThresholdOverride>);
  };

  return (
    <form onSubmit={submit} aria-label="Inspection thresholds">
      <Stack>
        <Title order={2} size="h4">
          Inspection thresholds
        </Title>
        <Text size="sm" c="dimmed">
          Project-wide; leave a field empty to keep the default shown in grey.
        </Text>
        <Table aria-label="Thresholds">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Check</Table.Th>
              <Table.Th>Unit</Table.Th>
              <Table.Th>Warning</Table.Th>
              <Table.Th>Critical</Table.Th>
              <Table.Th>Disabled</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {Object.entries(answer.defaults).map(([id, d]) => {
              const r = rows[id];
              if (r === undefined) return null;
              return (
                <Table.Tr key={id}>
                  <Table.Td>
                    {d.report}: {d.title}
                  </Table.Td>
                  <Table.Td>{d.unit}</Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`${d.title} warning threshold`}
                      inputMode="decimal"
                      placeholder={text(d.warning)}
                      value={r.warning}
                      error={invalid === `${id} warning` ? 'Enter a number' : undefined}
                      onChange={(e) => set(id, { warning: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`${d.title} critical threshold`}
                      inputMode="decimal"
                      placeholder={d.critical === undefined ? 'none' : text(d.critical)}
                      value={r.critical}
                      error={invalid === `${id} critical` ? 'Enter a number' : undefined}
                      onChange={(e) => set(id, { critical: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Disable ${d.title}`}
                      checked={r.disabled}
                      onChange={(e) => set(id, { disabled: e.currentTarget.checked })}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {save.error && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        {save.isSuccess && <Text role="status">Thresholds saved.</Text>}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save thresholds
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
