import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ConfirmButton } from './ConfirmButton.tsx';
import { INTEGRATION_TEMPLATES } from './integration-templates.ts';
import { keys, settingsApi, useSend } from './settings-api.ts';
import type { IntegrationInput, IntegrationView } from './settings-types.ts';

/** Props of {@link IntegrationEditor}. */
export interface IntegrationEditorProps {
  readonly project: string;
  readonly type: string;
  /** Absent: a new integration of `type`. */
  readonly current?: IntegrationView;
}

/**
 * One notification integration: flags, the configuration as JSON (secrets stay masked; sending
 * the mask back keeps the stored secret), Save, Send test, Delete.
 */
export function IntegrationEditor({ project, type, current }: IntegrationEditorProps) {
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const [incidents, setIncidents] = useState(current?.incidents ?? true);
  const [deployments, setDeployments] = useState(current?.deployments ?? false);
  const [config, setConfig] = useState(
    JSON.stringify(current?.config ?? INTEGRATION_TEMPLATES[type] ?? {}, null, 2),
  );
  const [configError, setConfigError] = useState<string | undefined>();
  const save = useSend(
    (input: IntegrationInput) => settingsApi.saveIntegration(project, type, input),
    keys.integrations(project),
  );
  const remove = useSend(() => settingsApi.deleteIntegration(project, type), keys.integrations(project));
  // Not refreshing the list after a test: the editor is keyed on it and would lose the answer.
  const test = useMutation({ mutationFn: () => settingsApi.testIntegration(project, type) });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch {
      return setConfigError('The configuration must be valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return setConfigError('The configuration must be a JSON object');
    }
    setConfigError(undefined);
    save.mutate({ enabled, incidents, deployments, config: parsed as Record<string, unknown> });
  };

  return (
    <form onSubmit={submit} aria-label={`${type} integration`}>
      <Stack gap="xs">
        {current?.secretsError && (
          <Alert color="orange" role="alert">
            {current.secretsError}
          </Alert>
        )}
        {current?.lastError && (
          <Text size="sm" c="red">
            Last delivery failed: {current.lastError.message}
          </Text>
        )}
        <Group>
          <Checkbox label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <Checkbox
            label="Incidents"
            checked={incidents}
            onChange={(e) => setIncidents(e.currentTarget.checked)}
          />
          <Checkbox
            label="Deployments"
            checked={deployments}
            onChange={(e) => setDeployments(e.currentTarget.checked)}
          />
        </Group>
        <Textarea
          label={`${type} configuration (JSON)`}
          description="Secrets are shown masked; leave them as they are to keep the stored ones."
          rows={6}
          styles={{ input: { fontFamily: 'monospace' } }}
          value={config}
          error={configError}
          onChange={(e) => setConfig(e.currentTarget.value)}
        />
        {save.error && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        {save.isSuccess && <Text role="status">Saved.</Text>}
        {test.error && (
          <Alert color="red" role="alert" title="Test notification refused">
            {test.error.message}
          </Alert>
        )}
        {test.isSuccess && <Text role="status">Test notification delivered.</Text>}
        {remove.error && (
          <Alert color="red" role="alert">
            {remove.error.message}
          </Alert>
        )}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={save.isPending}>
            {current ? 'Save' : `Add ${type}`}
          </Button>
          {current && (
            <>
              <Button size="xs" variant="light" loading={test.isPending} onClick={() => test.mutate()}>
                Send test
              </Button>
              <ConfirmButton
                label="Delete"
                ariaLabel={`Delete ${type} integration`}
                question="Stop sending notifications here?"
                onConfirm={() => remove.mutate(undefined)}
                pending={remove.isPending}
              />
            </>
          )}
        </Group>
      </Stack>
    </form>
  );
}
