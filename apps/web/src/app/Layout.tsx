import { AppShell, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useLogout } from './auth.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { NAV_ITEMS } from './nav.ts';
import { PageLoader } from './PageLoader.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { TimeRangePicker } from './TimeRangePicker.tsx';

/** Keeps `from`/`to` when moving between pages, so the range follows the user. */
function withRange(to: string, search: string): string {
  const params = new URLSearchParams(search);
  const keep = new URLSearchParams();
  for (const k of ['from', 'to']) {
    const v = params.get(k);
    if (v !== null) keep.set(k, v);
  }
  const qs = keep.toString();
  return qs === '' ? to : `${to}?${qs}`;
}

/** The signed-in frame: header (time range, theme, logout), nav bar, and the page. */
export function Layout() {
  const location = useLocation();
  const logout = useLogout();
  const active = (to: string) =>
    to === '/'
      ? location.pathname === '/' || location.pathname.startsWith('/apps/')
      : location.pathname.startsWith(to);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Title order={2} size="h4">
            Vigil
          </Title>
          <Group gap="sm" wrap="nowrap">
            <TimeRangePicker />
            <ThemeToggle />
            <Button variant="subtle" size="sm" onClick={() => void logout()}>
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV_ITEMS.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={withRange(item.to, location.search)}
            label={<Text size="sm">{item.label}</Text>}
            active={active(item.to)}
            aria-current={active(item.to) ? 'page' : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
