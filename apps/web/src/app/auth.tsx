import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { apiSend, setUnauthorizedHandler } from '../api/client.ts';

/** The login page's address that returns to `here` afterwards. */
export function loginPath(here: string): string {
  return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** A `next` parameter made safe: only a path on this site (never `//evil.example`). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/**
 * Sends the user to /login on any 401 from the API, keeping the current address to return to.
 * Rendered once inside the router.
 */
export function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const here = location.pathname + location.search;
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!window.location.pathname.startsWith('/login')) navigate(loginPath(here), { replace: true });
    });
    return () => setUnauthorizedHandler(undefined);
  }, [navigate, here]);
  return null;
}

/** Logs out on the server, forgets every cached answer, and goes to /login. */
export function useLogout(): () => Promise<void> {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return async () => {
    // Requests still in flight would refill the cache with this session's data after clear(),
    // and clearing them aborts them; let them land first (briefly).
    for (let waitedMs = 0; queryClient.isFetching() > 0 && waitedMs < 2000; waitedMs += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await apiSend('POST', '/api/v1/logout');
    queryClient.clear();
    navigate('/login', { replace: true });
  };
}
