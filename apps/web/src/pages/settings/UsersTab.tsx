import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatTime } from './format-time.ts';
import { ResourceTable, type ResourceColumn } from './ResourceTable.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import { MIN_PASSWORD_LENGTH, ROLES, type Role, type TabProps, type User } from './settings-types.ts';
import { PasswordCell, RoleCell } from './UserCells.tsx';

/** The columns; `admins` is how many Admins there are, to mark the last one. */
function columns(admins: number): ReadonlyArray<ResourceColumn<User>> {
  const lastAdmin = (u: User): boolean => u.role === 'Admin' && admins <= 1;
  return [
    {
      header: 'Username',
      cell: (u) => (
        <Group gap="xs">
          {u.username}
          {lastAdmin(u) && <Badge variant="light">last Admin</Badge>}
        </Group>
      ),
    },
    { header: 'Role', cell: (u) => <RoleCell user={u} lastAdmin={lastAdmin(u)} /> },
    { header: 'Created', cell: (u) => formatTime(u.createdAt) },
    { header: 'Password', cell: (u) => <PasswordCell user={u} /> },
  ];
}

/**
 * Users and roles (Admin). The server keeps at least one Admin; when a change would break that
 * rule its answer is shown next to the form or row that asked.
 */
export function UsersTab(_: TabProps) {
  const list = useQuery({ queryKey: keys.users, queryFn: settingsApi.users });
  const me = useQuery({ queryKey: keys.me, queryFn: settingsApi.me });
  const create = useSend(settingsApi.createUser, keys.users);
  const remove = useSend(settingsApi.deleteUser, keys.users);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('Viewer');
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const admins = list.data?.users.filter((u) => u.role === 'Admin').length ?? 0;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next = {
      ...(username.trim() === '' ? { username: 'Enter a username' } : {}),
      ...(password.length < MIN_PASSWORD_LENGTH
        ? { password: `At least ${MIN_PASSWORD_LENGTH} characters` }
        : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    create.mutate(
      { username: username.trim(), password, role },
      { onSuccess: () => (setUsername(''), setPassword('')) },
    );
  };

  return (
    <Stack>
      <Title order={2} size="h4">
        Users
      </Title>
      <Text size="sm" c="dimmed">
        Viewers read, Editors also change settings, Admins also manage users, projects and keys. At least one
        Admin must remain.
      </Text>
      <ResourceTable
        label="Users"
        rows={list.data?.users}
        rowKey={(u) => u.id}
        columns={columns(admins)}
        loadError={{ title: 'Could not load the users', error: list.error }}
        empty="No users."
        remove={{
          label: 'Delete',
          ariaLabel: (u) => `Delete user ${u.username}`,
          question: (u) => `Delete ${u.username}? Their sessions and read tokens go too.`,
          mutation: remove,
          errorTitle: 'Could not delete the user',
          // The server refuses it: another Admin must do it, so nobody locks themselves out.
          instead: (u) => (me.data?.id === u.id ? <Text size="xs">you</Text> : undefined),
        }}
      />
      <form onSubmit={submit} aria-label="New user">
        <Group align="flex-start">
          <TextInput
            label="Username"
            value={username}
            error={errors.username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <TextInput
            label="Password"
            type="password"
            autoComplete="new-password"
            value={password}
            error={errors.password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <NativeSelect
            label="Role"
            value={role}
            data={[...ROLES]}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
          />
          <Button type="submit" mt={24} loading={create.isPending}>
            Create user
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
