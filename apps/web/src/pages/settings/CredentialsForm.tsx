import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import type { InstrumentationInput, InstrumentationView } from './settings-types.ts';

/** Props of {@link CredentialsForm}. */
export interface CredentialsFormProps {
  readonly project: string;
  readonly appId: string;
  readonly name: string;
  readonly onClose: () => void;
}

/** Loads an application's instrumentation settings, then edits them. */
export function CredentialsForm(props: CredentialsFormProps) {
  const view = useQuery({
    queryKey: keys.instrumentation(props.project, props.appId),
    queryFn: () => settingsApi.instrumentation(props.project, props.appId),
  });
  if (view.error) return <ApiErrorAlert title="Could not load the credentials" error={view.error} />;
  if (!view.data) return <Text size="sm">Loading…</Text>;
  return <Editor {...props} view={view.data} />;
}

function Editor({
  project,
  appId,
  name,
  onClose,
  view,
}: CredentialsFormProps & { view: InstrumentationView }) {
  const [username, setUsername] = useState(view.credentials.username ?? '');
  // Undefined: keep the stored password (the server never sends it back).
  const [password, setPassword] = useState<string | undefined>();
  const [port, setPort] = useState(view.port === undefined ? '' : String(view.port));
  const [disabled, setDisabled] = useState(view.disabled);
  const [portError, setPortError] = useState<string | undefined>();
  const save = useSend(
    (input: InstrumentationInput) => settingsApi.saveInstrumentation(project, appId, input),
    keys.instrumentation(project, appId),
  );

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const portNumber = port.trim() === '' ? undefined : Number(port);
    if (
      portNumber !== undefined &&
      !(Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535)
    ) {
      return setPortError('A port is 1-65535');
    }
    setPortError(undefined);
    save.mutate(
      {
        ...(portNumber === undefined ? {} : { port: portNumber }),
        credentials: { username, ...(password === undefined ? {} : { password }) },
        disabled,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <form onSubmit={submit} aria-label={`Credentials of ${name}`}>
      <Stack gap="xs">
        <Group align="flex-start">
          <TextInput
            size="xs"
            label="Username"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label="Password"
            type="password"
            autoComplete="new-password"
            placeholder={view.credentials.passwordSet ? 'unchanged (set)' : 'not set'}
            value={password ?? ''}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label="Port"
            inputMode="numeric"
            placeholder="as seen"
            value={port}
            error={portError}
            onChange={(e) => setPort(e.currentTarget.value)}
          />
        </Group>
        <Checkbox
          size="xs"
          label="Do not collect from this database"
          checked={disabled}
          onChange={(e) => setDisabled(e.currentTarget.checked)}
        />
        {save.error && (
          <Alert color="red" role="alert" p="xs">
            {save.error.message}
          </Alert>
        )}
        <Group gap="xs">
          <Button size="xs" type="submit" loading={save.isPending}>
            Save credentials
          </Button>
          <Button size="xs" variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
