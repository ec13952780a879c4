import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import {
  formatTime,
  keys,
  ROLES,
  useSend,
  type CreatedReadToken,
  type ReadTokenInfo,
  type Role,
  type TabProps,
} from './settings-api.ts';

interface NewToken {
  description: string;
  role: Role;
  projectId?: string;
}

/** Read API tokens for scripts and Grafana (Admin): `Authorization: Bearer <token>`. */
export function ReadTokensTab({ project }: TabProps) {
  const list = useQuery({
    queryKey: keys.tokens,
    queryFn: () => apiGet<{ tokens: ReadTokenInfo[] }>('/api/v1/tokens'),
  });
  const create = useSend<NewToken, CreatedReadToken>('POST', () => '/api/v1/tokens', keys.tokens);
  const revoke = useSend<string>('DELETE', (id) => `/api/v1/tokens/${encodeURIComponent(id)}`, keys.tokens);
  const [description, setDescription] = useState('');
  const [role, setRole] = useState<Role>('Viewer');
  const [scoped, setScoped] = useState(true);
  const [created, setCreated] = useState<CreatedReadToken | undefined>();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    create.mutate(
      { description: description.trim(), role, ...(scoped ? { projectId: project } : {}) },
      { onSuccess: (t) => (setCreated(t), setDescription('')) },
    );
  };

  return (
    <Stack>
      <Title order={2} size="h4">
        Read API tokens
      </Title>
      <Text size="sm" c="dimmed">
        For scripts and Grafana (a Prometheus data source with URL {window.location.origin} and the header
        Authorization: Bearer &lt;token&gt;). Ingestion keys cannot read; these cannot write telemetry.
      </Text>
      {created && (
        <SecretOnce
          what="read token"
          secret={created.token}
          commands={[
            {
              title: 'Example request',
              text: `curl -H 'Authorization: Bearer ${created.token}' ${window.location.origin}/api/v1/me`,
            },
          ]}
          onDone={() => setCreated(undefined)}
        />
      )}
      <form onSubmit={submit} aria-label="New read token">
        <Group align="flex-end">
          <TextInput
            label="Description"
            value={description}
            maxLength={256}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <NativeSelect
            label="Role"
            value={role}
            data={[...ROLES]}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
          />
          <Checkbox
            label={`Only project ${project}`}
            checked={scoped}
            onChange={(e) => setScoped(e.currentTarget.checked)}
            mb={8}
          />
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
        {create.error && (
          <Alert color="red" role="alert" mt="sm">
            {create.error.message}
          </Alert>
        )}
      </form>
      {list.error && <ApiErrorAlert title="Could not load the tokens" error={list.error} />}
      {revoke.error && <ApiErrorAlert title="Could not revoke the token" error={revoke.error} />}
      <Table aria-label="Read tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Token</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Project</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.tokens.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <code>{t.prefix}…</code>
              </Table.Td>
              <Table.Td>{t.description}</Table.Td>
              <Table.Td>{t.role}</Table.Td>
              <Table.Td>{t.projectId ?? 'all projects'}</Table.Td>
              <Table.Td>{formatTime(t.createdAt)}</Table.Td>
              <Table.Td>
                {t.revokedAt === undefined ? (
                  <ConfirmButton
                    label="Revoke"
                    ariaLabel={`Revoke token ${t.prefix}… (${t.description || 'no description'})`}
                    question="Scripts using this token will be refused. This cannot be undone."
                    onConfirm={() => revoke.mutate(t.id)}
                    pending={revoke.isPending}
                  />
                ) : (
                  <Badge color="gray">revoked {formatTime(t.revokedAt)}</Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
