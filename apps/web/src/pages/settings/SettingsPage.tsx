import { NativeSelect, Group, Stack, Tabs, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiKeysTab } from './ApiKeysTab.tsx';
import { DatabasesTab } from './DatabasesTab.tsx';
import { InspectionsTab } from './InspectionsTab.tsx';
import { IntegrationsTab } from './IntegrationsTab.tsx';
import { ProjectsTab } from './ProjectsTab.tsx';
import { ReadTokensTab } from './ReadTokensTab.tsx';
import { keys, settingsApi } from './settings-api.ts';
import { DEFAULT_PROJECT, type TabProps } from './settings-types.ts';
import { StatusTab } from './StatusTab.tsx';
import { UsersTab } from './UsersTab.tsx';

/** The tabs, in order; each is the sub-route `/settings/<path>`. */
const TABS: ReadonlyArray<{ path: string; label: string; Component: ComponentType<TabProps> }> = [
  { path: 'projects', label: 'Projects', Component: ProjectsTab },
  { path: 'api-keys', label: 'API keys', Component: ApiKeysTab },
  { path: 'tokens', label: 'Read tokens', Component: ReadTokensTab },
  { path: 'users', label: 'Users', Component: UsersTab },
  { path: 'databases', label: 'Database credentials', Component: DatabasesTab },
  { path: 'integrations', label: 'Integrations', Component: IntegrationsTab },
  { path: 'inspections', label: 'Inspections', Component: InspectionsTab },
  { path: 'status', label: 'Status', Component: StatusTab },
];

/**
 * Settings, mounted at `/settings/*`: one tab per sub-route, and the project the project-scoped
 * tabs work on, kept in `?project=` so a link to a tab keeps it.
 */
export function SettingsPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const project = search.get('project') ?? DEFAULT_PROJECT;
  const projects = useQuery({ queryKey: keys.projects, queryFn: settingsApi.projects });
  const tab = TABS.find((t) => location.pathname.split('/').includes(t.path))?.path ?? TABS[0]?.path;
  const options = [...new Set([project, ...(projects.data?.projects.map((p) => p.id) ?? [])])];

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          Settings
        </Title>
        <NativeSelect
          label="Project"
          value={project}
          onChange={(e) => {
            const next = new URLSearchParams(search);
            next.set('project', e.currentTarget.value);
            setSearch(next);
          }}
          data={options}
        />
      </Group>
      <Tabs
        value={tab ?? null}
        onChange={(value) => value && navigate({ pathname: `/settings/${value}`, search: location.search })}
      >
        <Tabs.List aria-label="Settings sections">
          {TABS.map((t) => (
            <Tabs.Tab key={t.path} value={t.path}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<Navigate to={{ pathname: 'projects', search: location.search }} replace />} />
        {TABS.map(({ path, Component }) => (
          <Route key={path} path={path} element={<Component project={project} />} />
        ))}
        <Route
          path="*"
          element={<Navigate to={{ pathname: '/settings/projects', search: location.search }} replace />}
        />
      </Routes>
    </Stack>
  );
}
