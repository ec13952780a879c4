import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { keys, useSend } from './settings-api.ts';

/** `GET /api/v1/integrations/aws` (apps/server/src/api/aws-integration-routes.ts). */
interface AwsView {
  readonly configured: boolean;
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKeySet: boolean;
}

interface AwsInput {
  region: string;
  accessKeyId: string;
  secretAccessKey?: string;
}

/** The AWS integration (Editor): RDS and ElastiCache discovery by the cluster agent. */
export function AwsForm({ project }: { project: string }) {
  const view = useQuery({
    queryKey: keys.aws(project),
    queryFn: () => apiGet<AwsView>('/api/v1/integrations/aws', { project }),
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        AWS (RDS and ElastiCache discovery)
      </Title>
      {view.error && <ApiErrorAlert title="Could not load the AWS integration" error={view.error} />}
      {view.data && <AwsEditor key={JSON.stringify(view.data)} project={project} view={view.data} />}
    </Stack>
  );
}

function AwsEditor({ project, view }: { project: string; view: AwsView }) {
  const path = apiUrl('/api/v1/integrations/aws', { project });
  const [region, setRegion] = useState(view.region ?? '');
  const [accessKeyId, setAccessKeyId] = useState(view.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<{ region?: string; accessKeyId?: string; secret?: string }>({});
  const save = useSend<AwsInput>('PUT', () => path, keys.aws(project));
  const clear = useSend<undefined>('DELETE', () => path, keys.aws(project));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next = {
      ...(region.trim() === '' ? { region: 'Enter a region, e.g. eu-west-1' } : {}),
      ...(accessKeyId.trim() === '' ? { accessKeyId: 'Enter the access key ID' } : {}),
      ...(secret === '' && !view.secretAccessKeySet ? { secret: 'Enter the secret access key' } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    // An empty secret field keeps the stored secret: the server never sends it back.
    save.mutate({
      region: region.trim(),
      accessKeyId: accessKeyId.trim(),
      ...(secret === '' ? {} : { secretAccessKey: secret }),
    });
  };

  return (
    <form onSubmit={submit} aria-label="AWS integration">
      <Stack gap="xs">
        <Group align="flex-start">
          <TextInput
            label="Region"
            value={region}
            error={errors.region}
            onChange={(e) => setRegion(e.currentTarget.value)}
          />
          <TextInput
            label="Access key ID"
            value={accessKeyId}
            error={errors.accessKeyId}
            onChange={(e) => setAccessKeyId(e.currentTarget.value)}
          />
          <TextInput
            label="Secret access key"
            type="password"
            autoComplete="off"
            placeholder={view.secretAccessKeySet ? 'unchanged (set)' : ''}
            value={secret}
            error={errors.secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
          />
        </Group>
        {save.error && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        {clear.error && (
          <Alert color="red" role="alert">
            {clear.error.message}
          </Alert>
        )}
        {save.isSuccess && <Text role="status">AWS integration saved.</Text>}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={save.isPending}>
            Save AWS integration
          </Button>
          {view.configured && (
            <ConfirmButton
              label="Remove"
              ariaLabel="Remove AWS integration"
              question="The cluster agent stops discovering RDS and ElastiCache."
              onConfirm={() => clear.mutate(undefined)}
              pending={clear.isPending}
            />
          )}
        </Group>
      </Stack>
    </form>
  );
}
