import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { apiSend } from '../../api/client.ts';
import { safeNext } from '../../app/auth.tsx';

/** Username/password login (the bootstrap admin is `admin`); returns to `?next=` afterwards. */
export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await apiSend('POST', '/api/v1/login', { username, password });
      // Answers cached while logged out (401s) must not outlive the login.
      queryClient.clear();
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={360}>
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Title order={1} size="h3">
              Log in to Vigil
            </Title>
            {error && (
              <Alert color="red" role="alert" title="Login failed">
                {error}
              </Alert>
            )}
            <TextInput
              label="Username"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Log in
            </Button>
            <Text size="xs" c="dimmed">
              The first admin&apos;s password is the server&apos;s VIGIL_ADMIN_PASSWORD, or the one printed
              when it first started.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
