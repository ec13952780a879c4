import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import type { InspectionsAnswer, TabProps, ThresholdOverride } from './settings-types.ts';
import { overridesOf, rowsOf, thresholdText, type ThresholdRow } from './threshold-rows.ts';

/** The inspection thresholds of the project (Editor to change): one row per check. */
export function InspectionsTab({ project }: TabProps) {
  const answer = useQuery({
    queryKey: keys.inspections(project),
    queryFn: () => settingsApi.inspections(project),
  });
  // Here, not in the form: the form is re-mounted when the saved values come back, and its
  // "saved" confirmation must outlive that.
  const save = useSend(
    (overrides: Record<string, ThresholdOverride>) => settingsApi.saveInspections(project, overrides),
    keys.inspections(project),
  );
  if (answer.error) return <ApiErrorAlert title="Could not load the thresholds" error={answer.error} />;
  if (!answer.data) return <Text>Loading thresholds…</Text>;
  // Re-keyed on the saved values so a reload after saving starts from what the server kept.
  return <ThresholdsForm key={JSON.stringify(answer.data.project)} answer={answer.data} save={save} />;
}

type SaveThresholds = ReturnType<typeof useSend<Record<string, ThresholdOverride>>>;

function ThresholdsForm({ answer, save }: { answer: InspectionsAnswer; save: SaveThresholds }) {
  const [rows, setRows] = useState(() => rowsOf(answer));
  const [invalid, setInvalid] = useState<string | undefined>();
  const set = (id: string, change: Partial<ThresholdRow>): void =>
    setRows((prev) => ({
      ...prev,
      [id]: { ...(prev[id] ?? { warning: '', critical: '', disabled: false }), ...change },
    }));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const result = overridesOf(rows);
    if (!result.ok) return setInvalid(result.invalid);
    setInvalid(undefined);
    save.mutate(result.overrides);
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
                      placeholder={thresholdText(d.warning)}
                      value={r.warning}
                      error={invalid === `${id} warning` ? 'Enter a number' : undefined}
                      onChange={(e) => set(id, { warning: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`${d.title} critical threshold`}
                      inputMode="decimal"
                      placeholder={d.critical === undefined ? 'none' : thresholdText(d.critical)}
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
