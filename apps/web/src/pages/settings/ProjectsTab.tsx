import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { formatTime, keys, useSend, type Project, type TabProps } from './settings-api.ts';

/** Same rule as the server's (apps/server/src/configdb/validation.ts), checked before sending. */
const PROJECT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Projects: list, create (Admin), delete (Admin; never the default project). */
export function ProjectsTab(_: TabProps) {
  const list = useQuery({
    queryKey: keys.projects,
    queryFn: () => apiGet<{ projects: Project[] }>('/api/v1/projects'),
  });
  const create = useSend<{ id: string; name: string }>('POST', () => '/api/v1/projects', keys.projects);
  const remove = useSend<string>(
    'DELETE',
    (id) => `/api/v1/projects/${encodeURIComponent(id)}`,
    keys.projects,
  );
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [idError, setIdError] = useState<string | undefined>();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!PROJECT_ID.test(id)) {
      setIdError("1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit");
      return;
    }
    setIdError(undefined);
    create.mutate({ id, name: name.trim() || id }, { onSuccess: () => (setId(''), setName('')) });
  };

  return (
    <Stack>
      <Title order={2} size="h4">
        Projects
      </Title>
      {list.error && <ApiErrorAlert title="Could not load the projects" error={list.error} />}
      <Table aria-label="Projects">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Id</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.projects.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.id}</Table.Td>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{formatTime(p.createdAt)}</Table.Td>
              <Table.Td>
                {p.id !== 'default' && (
                  <ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete project ${p.id}`}
                    question={`Delete ${p.id} with its keys, settings and integrations? Stored telemetry stays until it expires.`}
                    onConfirm={() => remove.mutate(p.id)}
                    pending={remove.isPending}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {remove.error && <ApiErrorAlert title="Could not delete the project" error={remove.error} />}
      <form onSubmit={submit} aria-label="New project">
        <Group align="flex-start">
          <TextInput
            label="Id"
            required
            value={id}
            error={idError}
            onChange={(e) => setId(e.currentTarget.value)}
          />
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit" mt={24} loading={create.isPending}>
            Create project
          </Button>
        </Group>
        {create.error && (
          <Alert color="red" role="alert" mt="sm">
            {create.error.message}
          </Alert>
        )}
      </form>
    </Stack>
  );
}
