import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { UnauthorizedRedirect } from './auth.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Layout } from './Layout.tsx';
import { PageLoader } from './PageLoader.tsx';
import { newQueryClient } from './query-client.ts';
import {
  AppPage,
  IncidentPage,
  IncidentsPage,
  LoginPage,
  LogsPage,
  MapPage,
  NodePage,
  NodesPage,
  OverviewPage,
  PlaceholderPage,
  ProfilesPage,
  SettingsPage,
  TracesPage,
} from './routes.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

/** The application shell: theme, data cache, routes; every page is lazy-loaded. */
export function App() {
  const [queryClient] = useState(newQueryClient);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <UnauthorizedRedirect />
          <ErrorBoundary>
            <Suspense fallback={<PageLoader />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route element={<Layout />}>
                  <Route index element={<OverviewPage />} />
                  <Route path="/apps/:appId" element={<AppPage />} />
                  <Route path="/traces" element={<TracesPage />} />
                  <Route path="/profiles" element={<ProfilesPage />} />
                  <Route path="/map" element={<MapPage />} />
                  <Route path="/logs" element={<LogsPage />} />
                  <Route path="/nodes" element={<NodesPage />} />
                  <Route path="/nodes/:name" element={<NodePage />} />
                  <Route path="/incidents" element={<IncidentsPage />} />
                  <Route path="/incidents/:id" element={<IncidentPage />} />
                  <Route path="/settings/*" element={<SettingsPage />} />
                  <Route path="*" element={<PlaceholderPage title="Page not found" notFound />} />
                </Route>
              </Routes>
            </Suspense>
          </ErrorBoundary>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
