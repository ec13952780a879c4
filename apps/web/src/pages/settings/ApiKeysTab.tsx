import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatTime } from './format-time.ts';
import { kubernetesSecretCommand, nodeAgentCommand } from './install-commands.ts';
import { ResourceTable, type ResourceColumn } from './ResourceTable.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import type { ApiKeyInfo, CreatedApiKey, TabProps } from './settings-types.ts';

const COLUMNS: ReadonlyArray<ResourceColumn<ApiKeyInfo>> = [
  { header: 'Key', cell: (k) => <code>{k.prefix}…</code> },
  { header: 'Label', cell: (k) => k.description },
  { header: 'Created', cell: (k) => formatTime(k.createdAt) },
];

/**
 * Ingestion API keys of the project (Admin): write-only keys for agents and collectors. A new
 * key is shown once, with the commands that use it; revoking asks first.
 */
export function ApiKeysTab({ project }: TabProps) {
  const list = useQuery({ queryKey: keys.apiKeys(project), queryFn: () => settingsApi.apiKeys(project) });
  const create = useSend(
    (description: string) => settingsApi.createApiKey(project, description),
    keys.apiKeys(project),
  );
  const revoke = useSend((id: string) => settingsApi.revokeApiKey(project, id), keys.apiKeys(project));
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedApiKey | undefined>();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (description.trim() === '') return setError('Say where the key will be used, e.g. "prod node agents"');
    setError(undefined);
    create.mutate(description.trim(), {
      onSuccess: (key) => {
        setCreated(key);
        setDescription('');
      },
    });
  };

  const origin = window.location.origin;
  return (
    <Stack>
      <Title order={2} size="h4">
        Ingestion API keys
      </Title>
      <Text size="sm" c="dimmed">
        Agents and OpenTelemetry collectors send these in the X-API-Key header. They can only write to project{' '}
        {project}; revoked keys stop working within 10 seconds.
      </Text>
      {created && (
        <SecretOnce
          what="API key"
          secret={created.key}
          commands={[
            { title: 'Node agent install command', text: nodeAgentCommand(origin, created.key) },
            { title: 'Kubernetes secret command', text: kubernetesSecretCommand(created.key) },
          ]}
          onDone={() => setCreated(undefined)}
        />
      )}
      <form onSubmit={submit} aria-label="New API key">
        <Group align="flex-start">
          <TextInput
            label="Label"
            description="Where the key is used"
            value={description}
            error={error}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Button type="submit" mt={46} loading={create.isPending}>
            Create key
          </Button>
        </Group>
        {create.error && (
          <Alert color="red" role="alert" mt="sm">
            {create.error.message}
          </Alert>
        )}
      </form>
      <ResourceTable
        label="API keys"
        rows={list.data?.keys}
        rowKey={(k) => k.id}
        columns={COLUMNS}
        loadError={{ title: 'Could not load the API keys', error: list.error }}
        empty="No API keys yet: agents cannot send data to this project."
        remove={{
          label: 'Revoke',
          ariaLabel: (k) => `Revoke key ${k.prefix}… (${k.description})`,
          question: () => 'Agents using this key will be refused. This cannot be undone.',
          mutation: revoke,
          errorTitle: 'Could not revoke the key',
        }}
      />
    </Stack>
  );
}
