// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { errorBody, PROJECTS, renderSettings, serve, type SentRequest } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ADMIN = { id: 'a1b2c3d4-0000-4000-8000-000000000001', username: 'admin', role: 'Admin', createdAt: 1 };
const ALICE = { id: 'a1b2c3d4-0000-4000-8000-000000000002', username: 'alice', role: 'Editor', createdAt: 2 };
// The server's refusal (apps/server/src/configdb/account-admin.ts LAST_ADMIN_MESSAGE).
const LAST_ADMIN = 'at least one Admin must remain: make another user an Admin first';

function server(): SentRequest[] {
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects') return { body: PROJECTS };
    if (path === '/api/v1/me') return { body: { kind: 'user', id: ADMIN.id, role: 'Admin' } };
    if (path === '/api/v1/users' && req.method === 'GET') return { body: { users: [ADMIN, ALICE] } };
    if (path === `/api/v1/users/${ADMIN.id}` && req.method === 'PUT') {
      return { status: 409, body: errorBody('conflict', LAST_ADMIN) };
    }
    if (path === '/api/v1/users' && req.method === 'POST') {
      return { status: 400, body: errorBody('bad_request', 'username "alice" is already taken') };
    }
    return { status: 404, body: errorBody('not_found', `no route for ${req.method} ${path}`) };
  });
}

describe('users tab', () => {
  it('marks the last Admin and shows the server refusal when they are demoted', async () => {
    const requests = server();
    renderSettings('users');
    const table = await screen.findByRole('table', { name: 'Users' });
    const adminRow = (await within(table).findByText('admin')).closest('tr') as HTMLElement;
    expect(within(adminRow).getByText('last Admin')).toBeTruthy();

    fireEvent.change(within(adminRow).getByRole('combobox', { name: 'Role of admin' }), {
      target: { value: 'Viewer' },
    });
    expect((await within(adminRow).findByRole('alert')).textContent).toBe(LAST_ADMIN);
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({ role: 'Viewer' });
    // The current user cannot delete themselves; other users can be deleted.
    expect(within(adminRow).queryByRole('button', { name: 'Delete user admin' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete user alice' })).toBeTruthy();
  });

  it('checks a new user before sending, and shows the server answer in the form', async () => {
    const requests = server();
    renderSettings('users');
    const form = await screen.findByRole('form', { name: 'New user' });
    fireEvent.change(within(form).getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(await within(form).findByText('At least 8 characters')).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'long-enough-1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    await waitFor(() =>
      expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
        username: 'alice',
        password: 'long-enough-1',
        role: 'Viewer',
      }),
    );
    expect((await within(form).findByRole('alert')).textContent).toBe('username "alice" is already taken');
  });
});
