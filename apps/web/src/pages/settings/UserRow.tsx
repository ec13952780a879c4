import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, TextInput } from '@mantine/core';
import { keys, MIN_PASSWORD_LENGTH, ROLES, useSend, type Role, type User } from './settings-api.ts';

/** Props of {@link UserRow}. */
export interface UserRowProps {
  readonly user: User;
  readonly created: string;
  /** The only Admin: the server will refuse to demote or delete them, so the row says so. */
  readonly lastAdmin: boolean;
  /** The delete control (or a note that it is the current user). */
  readonly remove: ReactNode;
}

interface Change {
  role?: Role;
  password?: string;
}

/** One user: change the role, reset the password; the server's refusal is shown in the row. */
export function UserRow({ user, created, lastAdmin, remove }: UserRowProps) {
  const update = useSend<Change, User>(
    'PUT',
    () => `/api/v1/users/${encodeURIComponent(user.id)}`,
    keys.users,
  );
  const [password, setPassword] = useState<string | undefined>();
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);

  const savePassword = (): void => {
    if ((password ?? '').length < MIN_PASSWORD_LENGTH)
      return setPasswordError(`At least ${MIN_PASSWORD_LENGTH} characters`);
    setPasswordError(undefined);
    update.mutate({ password }, { onSuccess: () => (setPassword(undefined), setSaved(true)) });
  };

  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs">
          {user.username}
          {lastAdmin && <Badge variant="light">last Admin</Badge>}
        </Group>
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <NativeSelect
            aria-label={`Role of ${user.username}`}
            value={user.role}
            data={[...ROLES]}
            description={lastAdmin ? 'Make another user an Admin before changing this one' : undefined}
            onChange={(e) => update.mutate({ role: e.currentTarget.value as Role })}
          />
          {update.error && (
            <Alert color="red" role="alert" p="xs">
              {update.error.message}
            </Alert>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>{created}</Table.Td>
      <Table.Td>
        {password === undefined ? (
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              aria-label={`Reset password of ${user.username}`}
              onClick={() => (setPassword(''), setSaved(false))}
            >
              Reset password
            </Button>
            {saved && (
              <span role="status" aria-live="polite">
                Password changed
              </span>
            )}
          </Group>
        ) : (
          <Group gap="xs" align="flex-start">
            <TextInput
              size="xs"
              type="password"
              autoComplete="new-password"
              label={`New password for ${user.username}`}
              value={password}
              error={passwordError}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button size="xs" mt={22} onClick={savePassword} loading={update.isPending}>
              Save password
            </Button>
            <Button size="xs" mt={22} variant="default" onClick={() => setPassword(undefined)}>
              Cancel
            </Button>
          </Group>
        )}
      </Table.Td>
      <Table.Td>{remove}</Table.Td>
    </Table.Tr>
  );
}
