import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { keys, settingsApi, useSend } from './settings-api.ts';
import { MIN_PASSWORD_LENGTH, ROLES, type Role, type User } from './settings-types.ts';

/**
 * A user's role, changed on selection. When this is the only Admin the server refuses to demote
 * them; the select says so up front and the refusal is shown under it.
 */
export function RoleCell({ user, lastAdmin }: { user: User; lastAdmin: boolean }) {
  const update = useSend((role: Role) => settingsApi.updateUser(user.id, { role }), keys.users);
  return (
    <Stack gap={4}>
      <NativeSelect
        aria-label={`Role of ${user.username}`}
        value={user.role}
        data={[...ROLES]}
        description={lastAdmin ? 'Make another user an Admin before changing this one' : undefined}
        onChange={(e) => update.mutate(e.currentTarget.value as Role)}
      />
      {update.error && (
        <Alert color="red" role="alert" p="xs">
          {update.error.message}
        </Alert>
      )}
    </Stack>
  );
}

/** Resetting a user's password: a field opened on demand, checked before it is sent. */
export function PasswordCell({ user }: { user: User }) {
  const update = useSend((password: string) => settingsApi.updateUser(user.id, { password }), keys.users);
  // Undefined: the field is closed.
  const [password, setPassword] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);

  const save = (): void => {
    if (password === undefined || password.length < MIN_PASSWORD_LENGTH)
      return setError(`At least ${MIN_PASSWORD_LENGTH} characters`);
    setError(undefined);
    update.mutate(password, { onSuccess: () => (setPassword(undefined), setSaved(true)) });
  };

  if (password === undefined) {
    return (
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
    );
  }
  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-start">
        <TextInput
          size="xs"
          type="password"
          autoComplete="new-password"
          label={`New password for ${user.username}`}
          value={password}
          error={error}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Button size="xs" mt={22} onClick={save} loading={update.isPending}>
          Save password
        </Button>
        <Button size="xs" mt={22} variant="default" onClick={() => setPassword(undefined)}>
          Cancel
        </Button>
      </Group>
      {update.error && (
        <Alert color="red" role="alert" p="xs">
          {update.error.message}
        </Alert>
      )}
    </Stack>
  );
}
