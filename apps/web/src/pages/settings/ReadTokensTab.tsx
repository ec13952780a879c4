import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatTime } from './format-time.ts';
import { ResourceTable, type ResourceColumn } from './ResourceTable.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import {
  ROLES,
  type CreatedReadToken,
  type ReadTokenInfo,
  type Role,
  type TabProps,
} from './settings-types.ts';

const COLUMNS: ReadonlyArray<ResourceColumn<ReadTokenInfo>> = [
  { header: 'Token', cell: (t) => <code>{t.prefix}…</code> },
  { header: 'Description', cell: (t) => t.description },
  { header: 'Role', cell: (t) => t.role },
  { header: 'Project', cell: (t) => t.projectId ?? 'all projects' },
  { header: 'Created', cell: (t) => formatTime(t.createdAt) },
];

/** Read API tokens for scripts and Grafana (Admin): `Authorization: Bearer <token>`. */
export function ReadTokensTab({ project }: TabProps) {
  const list = useQuery({ queryKey: keys.tokens, queryFn: settingsApi.readTokens });
  const create = useSend(settingsApi.createReadToken, keys.tokens);
  const revoke = useSend(settingsApi.revokeReadToken, keys.tokens);
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
      <ResourceTable
        label="Read tokens"
        rows={list.data?.tokens}
        rowKey={(t) => t.id}
        columns={COLUMNS}
        loadError={{ title: 'Could not load the tokens', error: list.error }}
        empty="No read tokens yet."
        remove={{
          label: 'Revoke',
          ariaLabel: (t) => `Revoke token ${t.prefix}… (${t.description || 'no description'})`,
          question: () => 'Scripts using this token will be refused. This cannot be undone.',
          mutation: revoke,
          errorTitle: 'Could not revoke the token',
          instead: (t) =>
            t.revokedAt === undefined ? undefined : (
              <Badge color="gray">revoked {formatTime(t.revokedAt)}</Badge>
            ),
        }}
      />
    </Stack>
  );
}
