// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { errorBody, renderSettings, serve, type SentRequest } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PROJECTS = [
  { id: 'default', name: 'default', createdAt: 1_764_000_000_000 },
  { id: 'shop-eu', name: 'Shop EU', createdAt: 1_764_000_100_000 },
];

function server(): SentRequest[] {
  const projects = [...PROJECTS];
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects' && req.method === 'GET') return { body: { projects } };
    if (path === '/api/v1/projects/shop-eu' && req.method === 'DELETE') {
      projects.splice(1, 1);
      return { status: 204 };
    }
    return { status: 404, body: errorBody('not_found', `no route for ${req.method} ${path}`) };
  });
}

describe('projects tab', () => {
  it('never offers to delete the default project, and deletes another once confirmed', async () => {
    const requests = server();
    renderSettings('projects');
    const table = await screen.findByRole('table', { name: 'Projects' });
    await within(table).findByRole('cell', { name: 'Shop EU' });
    expect(within(table).queryByRole('button', { name: 'Delete project default' })).toBeNull();

    fireEvent.click(within(table).getByRole('button', { name: 'Delete project shop-eu' }));
    const confirm = screen.getByRole('group', { name: 'Confirm: Delete project shop-eu' });
    expect(confirm.textContent).toMatch(/Stored telemetry stays until it expires/);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, delete' }));

    await waitFor(() => expect(within(table).queryByRole('cell', { name: 'Shop EU' })).toBeNull());
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url.pathname)).toEqual([
      '/api/v1/projects/shop-eu',
    ]);
  });

  it('checks a new project id before sending it', async () => {
    const requests = server();
    renderSettings('projects');
    const form = await screen.findByRole('form', { name: 'New project' });
    fireEvent.change(within(form).getByRole('textbox', { name: /Id/ }), { target: { value: 'Shop EU' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create project' }));
    expect(await within(form).findByText(/starting with a letter or digit/)).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
