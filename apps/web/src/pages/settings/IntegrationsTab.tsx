import { useState } from 'react';
import { Accordion, Badge, Group, NativeSelect, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { AwsForm } from './AwsForm.tsx';
import { IntegrationEditor } from './IntegrationEditor.tsx';
import { keys, settingsApi } from './settings-api.ts';
import type { TabProps } from './settings-types.ts';

/** Notification integrations of the project (one per type) and the AWS integration. */
export function IntegrationsTab({ project }: TabProps) {
  const list = useQuery({
    queryKey: keys.integrations(project),
    queryFn: () => settingsApi.integrations(project),
  });
  const [adding, setAdding] = useState('');
  const configured = new Set(list.data?.integrations.map((i) => i.type));
  const available = list.data?.types.filter((t) => !configured.has(t)) ?? [];

  return (
    <Stack>
      <Title order={2} size="h4">
        Notification integrations
      </Title>
      {list.error && <ApiErrorAlert title="Could not load the integrations" error={list.error} />}
      {list.data && (
        <Accordion multiple variant="separated">
          {list.data.integrations.map((i) => (
            <Accordion.Item key={i.type} value={i.type}>
              <Accordion.Control>
                <Group gap="xs">
                  {i.type}
                  <Badge color={i.enabled ? 'green' : 'gray'}>{i.enabled ? 'on' : 'off'}</Badge>
                  {i.lastError && <Badge color="red">last delivery failed</Badge>}
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <IntegrationEditor key={JSON.stringify(i)} project={project} type={i.type} current={i} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
      {available.length > 0 && (
        <Stack gap="xs">
          <NativeSelect
            label="Add an integration"
            value={adding}
            data={[{ value: '', label: 'Choose a type…' }, ...available.map((t) => ({ value: t, label: t }))]}
            onChange={(e) => setAdding(e.currentTarget.value)}
          />
          {adding !== '' && available.includes(adding) && (
            <IntegrationEditor key={adding} project={project} type={adding} />
          )}
        </Stack>
      )}
      <AwsForm project={project} />
    </Stack>
  );
}
