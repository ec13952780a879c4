import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** `React.lazy` of a module's named export: every page is its own chunk, loaded when opened. */
function page<M, K extends keyof M>(load: () => Promise<M>, name: K): LazyExoticComponent<ComponentType> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

export const LoginPage = page(() => import('../pages/login/LoginPage.tsx'), 'LoginPage');
export const OverviewPage = page(() => import('../pages/overview/OverviewPage.tsx'), 'OverviewPage');
export const AppPage = page(() => import('../pages/app/AppPage.tsx'), 'AppPage');
export const TracesPage = page(() => import('../pages/traces/TracesPage.tsx'), 'TracesPage');
export const ProfilesPage = page(() => import('../pages/profiles/ProfilesPage.tsx'), 'ProfilesPage');
export const LogsPage = page(() => import('../pages/logs/LogsPage.tsx'), 'LogsPage');
export const MapPage = page(() => import('../pages/map/MapPage.tsx'), 'MapPage');
export const NodesPage = page(() => import('../pages/nodes/NodesPage.tsx'), 'NodesPage');
export const NodePage = page(() => import('../pages/nodes/NodePage.tsx'), 'NodePage');
export const IncidentsPage = page(() => import('../pages/incidents/IncidentsPage.tsx'), 'IncidentsPage');
export const IncidentPage = page(() => import('../pages/incidents/IncidentPage.tsx'), 'IncidentPage');
export const SettingsPage = page(() => import('../pages/settings/SettingsPage.tsx'), 'SettingsPage');
export const PlaceholderPage = lazy(async () => ({
  default: (await import('../pages/placeholders/PlaceholderPage.tsx')).PlaceholderPage,
}));
