import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { kubernetesSecretCommand, nodeAgentCommand } from './install-commands.ts';
import { SecretOnce } from './SecretOnce.tsx';
import {
  formatTime,
  keys,
  useSend,
  type ApiKeyInfo,
  type CreatedApiKey,
  type TabProps,
} from './settings-api.ts';

/**
 * Ingestion API keys of the project (Admin): write-only keys for agents and collectors. A new
 * key is shown once, with the commands that use it; revoking asks first.
 */
export function ApiKeysTab({ project }: TabProps) {
  const path = `/api/v1/projects/${encodeURIComponent(project)}/api-keys`;
  const list = useQuery({
    queryKey: keys.apiKeys(project),
    queryFn: () => apiGet<{ keys: ApiKeyInfo[] }>(path),
  });
  const create = useSend<string, CreatedApiKey>(
    'POST',
    () => path,
    keys.apiKeys(project),
    (description) => ({
      description,
    }),
  );
  const revoke = useSend<string>(
    'DELETE',
    (id) => `${path}/${encodeURIComponent(id)}`,
    keys.apiKeys(project),
  );
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
      {list.error && <ApiErrorAlert title="Could not load the API keys" error={list.error} />}
      {revoke.error && <ApiErrorAlert title="Could not revoke the key" error={revoke.error} />}
      <Table aria-label="API keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.keys.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>
                <code>{k.prefix}…</code>
              </Table.Td>
              <Table.Td>{k.description}</Table.Td>
              <Table.Td>{formatTime(k.createdAt)}</Table.Td>
              <Table.Td>
                <ConfirmButton
                  label="Revoke"
                  ariaLabel={`Revoke key ${k.prefix}… (${k.description})`}
                  question="Agents using this key will be refused. This cannot be undone."
                  onConfirm={() => revoke.mutate(k.id)}
                  pending={revoke.isPending}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
