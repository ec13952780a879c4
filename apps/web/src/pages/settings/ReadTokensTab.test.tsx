// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { errorBody, PROJECTS, renderSettings, serve, type SentRequest } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const BASE = { role: 'Viewer', prefix: 'vr_Ab12', createdBy: 'u1', createdAt: 1_764_000_000_000 };
const LIVE = { ...BASE, id: 't-live', description: 'grafana', projectId: 'default' };
const REVOKED = {
  ...BASE,
  id: 't-old',
  prefix: 'vr_Zz99',
  description: 'old script',
  revokedAt: 1_764_000_500_000,
};
const NEW_TOKEN = 'vr_Nw3q8s0dXrVb2mWn6yHs4dLk9fJa3eGu';

function server(tokens: unknown[]): SentRequest[] {
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects') return { body: PROJECTS };
    if (path === '/api/v1/tokens' && req.method === 'GET') return { body: { tokens } };
    if (path === '/api/v1/tokens' && req.method === 'POST') {
      const body = req.body as { description: string; role: string; projectId?: string };
      return { status: 201, body: { ...BASE, ...body, id: 't-new', token: NEW_TOKEN } };
    }
    if (path === `/api/v1/tokens/${LIVE.id}` && req.method === 'DELETE') {
      return { status: 403, body: errorBody('forbidden', 'only an Admin may revoke tokens') };
    }
    return { status: 404, body: errorBody('not_found', `no route for ${req.method} ${path}`) };
  });
}

describe('read tokens tab', () => {
  it('offers to revoke live tokens only, and shows the server refusal above the table', async () => {
    const requests = server([LIVE, REVOKED]);
    renderSettings('tokens');
    const table = await screen.findByRole('table', { name: 'Read tokens' });
    const revokedRow = (await within(table).findByText('old script')).closest('tr') as HTMLElement;
    expect(within(revokedRow).queryByRole('button')).toBeNull();
    expect(within(revokedRow).getByText(/^revoked/)).toBeTruthy();

    fireEvent.click(within(table).getByRole('button', { name: 'Revoke token vr_Ab12… (grafana)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not revoke the token');
    expect(alert.textContent).toContain('only an Admin may revoke tokens');
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url.pathname)).toEqual([
      '/api/v1/tokens/t-live',
    ]);
  });

  it('says there are none yet, and creates a token for the current project with the example request', async () => {
    const requests = server([]);
    renderSettings('tokens');
    const table = await screen.findByRole('table', { name: 'Read tokens' });
    expect(await within(table).findByRole('cell', { name: 'No read tokens yet.' })).toBeTruthy();

    const form = screen.getByRole('form', { name: 'New read token' });
    fireEvent.change(within(form).getByLabelText('Description'), { target: { value: 'grafana' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));
    const panel = await screen.findByRole('region', { name: 'New read token' });
    expect(within(panel).getByLabelText('read token').textContent).toBe(NEW_TOKEN);
    expect(within(panel).getByLabelText('Example request').textContent).toContain(
      `Authorization: Bearer ${NEW_TOKEN}`,
    );
    await waitFor(() =>
      expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
        description: 'grafana',
        role: 'Viewer',
        projectId: 'default',
      }),
    );
  });
});
