import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import {
  formatTime,
  keys,
  MIN_PASSWORD_LENGTH,
  ROLES,
  useSend,
  type Me,
  type Role,
  type TabProps,
  type User,
} from './settings-api.ts';
import { UserRow } from './UserRow.tsx';

/**
 * Users and roles (Admin). The server keeps at least one Admin; when a change would break that
 * rule its answer is shown next to the form or row that asked.
 */
export function UsersTab(_: TabProps) {
  const list = useQuery({ queryKey: keys.users, queryFn: () => apiGet<{ users: User[] }>('/api/v1/users') });
  const me = useQuery({ queryKey: keys.me, queryFn: () => apiGet<Me>('/api/v1/me') });
  const create = useSend<{ username: string; password: string; role: Role }>(
    'POST',
    () => '/api/v1/users',
    keys.users,
  );
  const remove = useSend<string>('DELETE', (id) => `/api/v1/users/${encodeURIComponent(id)}`, keys.users);
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
      {list.error && <ApiErrorAlert title="Could not load the users" error={list.error} />}
      {remove.error && <ApiErrorAlert title="Could not delete the user" error={remove.error} />}
      <Table aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Password</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.users.map((u) => (
            <UserRow
              key={u.id}
              user={u}
              created={formatTime(u.createdAt)}
              lastAdmin={u.role === 'Admin' && admins <= 1}
              remove={
                me.data?.id === u.id ? (
                  <Text size="xs">you</Text>
                ) : (
                  <ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete user ${u.username}`}
                    question={`Delete ${u.username}? Their sessions and read tokens go too.`}
                    onConfirm={() => remove.mutate(u.id)}
                    pending={remove.isPending}
                  />
                )
              }
            />
          ))}
        </Table.Tbody>
      </Table>
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
