import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { keys, settingsApi, useSend } from './settings-api.ts';
import type { AwsInput, AwsView, TagFilters } from './settings-types.ts';

/** The AWS integration (Editor): RDS and ElastiCache discovery by the cluster agent. */
export function AwsForm({ project }: { project: string }) {
  const view = useQuery({
    queryKey: keys.aws(project),
    queryFn: () => settingsApi.aws(project),
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

const filtersText = (filters: TagFilters): string =>
  Object.entries(filters)
    .map(([tag, value]) => `${tag}=${value}`)
    .join(', ');

/** Tag filters are set through the API only; saving the form keeps them, so it says which. */
function TagFiltersNote({ view }: { view: AwsView }) {
  const rds = filtersText(view.rdsTagFilters);
  const elasticache = filtersText(view.elasticacheTagFilters);
  if (rds === '' && elasticache === '') return null;
  return (
    <Text size="sm" c="dimmed">
      Discovery is limited to tagged instances (kept when saving): RDS {rds || 'all'}; ElastiCache{' '}
      {elasticache || 'all'}.
    </Text>
  );
}

function AwsEditor({ project, view }: { project: string; view: AwsView }) {
  const [region, setRegion] = useState(view.region ?? '');
  const [accessKeyId, setAccessKeyId] = useState(view.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<{ region?: string; accessKeyId?: string; secret?: string }>({});
  const save = useSend((input: AwsInput) => settingsApi.saveAws(project, input), keys.aws(project));
  const clear = useSend(() => settingsApi.clearAws(project), keys.aws(project));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next = {
      ...(region.trim() === '' ? { region: 'Enter a region, e.g. eu-west-1' } : {}),
      ...(accessKeyId.trim() === '' ? { accessKeyId: 'Enter the access key ID' } : {}),
      ...(secret === '' && !view.secretAccessKeySet ? { secret: 'Enter the secret access key' } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    // An empty secret field keeps the stored secret: the server never sends it back. A PUT
    // replaces the whole integration, so the tag filters (set through the API) are sent back.
    save.mutate({
      region: region.trim(),
      accessKeyId: accessKeyId.trim(),
      ...(secret === '' ? {} : { secretAccessKey: secret }),
      rdsTagFilters: view.rdsTagFilters,
      elasticacheTagFilters: view.elasticacheTagFilters,
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
        <TagFiltersNote view={view} />
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
