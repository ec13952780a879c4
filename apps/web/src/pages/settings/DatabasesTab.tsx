import { useState } from 'react';
import { Button, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ApplicationRow } from '../../api/types.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { CredentialsForm } from './CredentialsForm.tsx';
import { keys, settingsApi } from './settings-api.ts';
import type { TabProps } from './settings-types.ts';

/**
 * Application types the node agent reports that the cluster agent can collect from; the same
 * list as apps/server/src/instrumentation/database-targets.ts.
 */
const DATABASE_TYPES = new Set([
  'postgres',
  'postgresql',
  'mysql',
  'mysqld',
  'mariadb',
  'mariadbd',
  'redis',
  'valkey',
  'keydb',
  'dragonfly',
  'mongodb',
  'mongod',
  'memcached',
]);

/** Whether the cluster agent can collect from an application of these types. */
export function isDatabase(app: Pick<ApplicationRow, 'types'>): boolean {
  return app.types.some((t) => DATABASE_TYPES.has(t));
}

/**
 * Database credentials per application, for the cluster agent: the databases seen in the last
 * hour, each with an editor for the instrumentation settings (password write-only).
 */
export function DatabasesTab({ project }: TabProps) {
  const apps = useQuery({
    queryKey: keys.applications(project),
    queryFn: () => settingsApi.applications(project),
  });
  const [open, setOpen] = useState<string | undefined>();
  const databases = apps.data?.applications.filter(isDatabase) ?? [];

  return (
    <Stack>
      <Title order={2} size="h4">
        Database credentials
      </Title>
      <Text size="sm" c="dimmed">
        The cluster agent logs in to these databases to collect their metrics. Passwords are stored encrypted
        and never shown again.
      </Text>
      {apps.error && <ApiErrorAlert title="Could not load the applications" error={apps.error} />}
      {apps.data && databases.length === 0 && (
        <Text>No database applications were seen in the last hour.</Text>
      )}
      {databases.length > 0 && (
        <Table aria-label="Database applications">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Application</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Instances</Table.Th>
              <Table.Th>Credentials</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {databases.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.namespace ? `${a.namespace}/${a.name}` : a.name}</Table.Td>
                <Table.Td>{a.types.filter((t) => DATABASE_TYPES.has(t)).join(', ')}</Table.Td>
                <Table.Td>{a.instances}</Table.Td>
                <Table.Td>
                  {open === a.id ? (
                    <CredentialsForm
                      project={project}
                      appId={a.id}
                      name={a.name}
                      onClose={() => setOpen(undefined)}
                    />
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Edit credentials of ${a.name}`}
                      onClick={() => setOpen(a.id)}
                    >
                      Edit
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
