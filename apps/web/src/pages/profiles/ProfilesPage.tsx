/**
 * Profiles: pick a service and a profile type, see the flame graph of the URL's time range, and
 * optionally compare it with another window as a diff flame graph. Every choice lives in the URL.
 */
import type { ReactNode } from 'react';
import { Alert, Group, Loader, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useTimeRange } from '../../app/time-range.ts';
import { CompareControl } from './CompareControl.tsx';
import { FlameGraphPanel } from './FlameGraphPanel.tsx';
import { ProfilesEmptyState } from './ProfilesEmptyState.tsx';
import { ServicePicker } from './ServicePicker.tsx';
import { useProfileTypes, useServices } from './profile-queries.ts';
import { useProfileSelection } from './profile-selection.ts';

/** The Profiles page. */
export function ProfilesPage(): ReactNode {
  const { from, to } = useTimeRange();
  const range = { from, to };
  const [selection, update] = useProfileSelection();
  const services = useServices(range);
  const types = useProfileTypes(selection.service, range);
  const available = types.data?.types ?? [];
  // Until a type is chosen, show the first the service has rather than an empty page.
  const type = selection.type !== '' ? selection.type : (available[0] ?? '');
  const typeOptions = available.includes(type) || type === '' ? available : [type, ...available];

  return (
    <Stack gap="md">
      <Title order={1} fz="h2">
        Profiles
      </Title>
      <Group align="flex-end" gap="md">
        <ServicePicker
          value={selection.service}
          services={(services.data?.services ?? []).map((s) => s.name)}
          // A new service has its own types: drop the old type rather than request a missing one.
          onChange={(service) => update({ service, type: '' })}
        />
        <NativeSelect
          label="Profile type"
          data={typeOptions.length > 0 ? typeOptions : [{ value: '', label: '—' }]}
          value={type}
          disabled={typeOptions.length === 0}
          onChange={(e) => update({ type: e.currentTarget.value })}
        />
        <CompareControl selection={selection} onChange={update} />
      </Group>
      {services.isError && (
        <Alert color="yellow" title="Could not load the service list">
          {services.error.message}. You can still type a service name.
        </Alert>
      )}
      <Content selection={selection} type={type} range={range} types={types} />
    </Stack>
  );
}

function Content(props: {
  selection: ReturnType<typeof useProfileSelection>[0];
  type: string;
  range: { from: string; to: string };
  types: ReturnType<typeof useProfileTypes>;
}): ReactNode {
  const { selection, type, range, types } = props;
  if (selection.service === '') return <ProfilesEmptyState title="Choose a service to see its profiles" />;
  if (types.isError) {
    return (
      <Alert color="red" title="Could not load profile types" role="alert">
        {types.error.message}
      </Alert>
    );
  }
  if (types.isPending) {
    return (
      <Group role="status" gap="xs">
        <Loader size="sm" aria-hidden />
        <Text fz="sm">Loading profile types…</Text>
      </Group>
    );
  }
  if (type === '')
    return <ProfilesEmptyState title={`No profiles for ${selection.service} in this time range`} />;
  return <FlameGraphPanel selection={selection} type={type} range={range} />;
}
