import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatTime } from './format-time.ts';
import { ResourceTable, type ResourceColumn } from './ResourceTable.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import { DEFAULT_PROJECT, type Project, type TabProps } from './settings-types.ts';

/** Same rule as the server's (apps/server/src/configdb/validation.ts), checked before sending. */
const PROJECT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const COLUMNS: ReadonlyArray<ResourceColumn<Project>> = [
  { header: 'Id', cell: (p) => p.id },
  { header: 'Name', cell: (p) => p.name },
  { header: 'Created', cell: (p) => formatTime(p.createdAt) },
];

/** Projects: list, create (Admin), delete (Admin; never the default project). */
export function ProjectsTab(_: TabProps) {
  const list = useQuery({ queryKey: keys.projects, queryFn: settingsApi.projects });
  const create = useSend(settingsApi.createProject, keys.projects);
  const remove = useSend(settingsApi.deleteProject, keys.projects);
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
      <ResourceTable
        label="Projects"
        rows={list.data?.projects}
        rowKey={(p) => p.id}
        columns={COLUMNS}
        loadError={{ title: 'Could not load the projects', error: list.error }}
        empty="No projects."
        remove={{
          label: 'Delete',
          ariaLabel: (p) => `Delete project ${p.id}`,
          question: (p) =>
            `Delete ${p.id} with its keys, settings and integrations? Stored telemetry stays until it expires.`,
          mutation: remove,
          errorTitle: 'Could not delete the project',
          // The server recreates it at every start and sends unscoped requests there.
          instead: (p) => (p.id === DEFAULT_PROJECT ? null : undefined),
        }}
      />
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
