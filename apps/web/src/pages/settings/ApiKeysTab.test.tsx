// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { PROJECTS, renderSettings, serve, type SentRequest } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const KEYS_PATH = '/api/v1/projects/default/api-keys';
const EXISTING = {
  id: '5f0c1a52-9d1e-4c1b-9a55-0e3f0f2b7c11',
  projectId: 'default',
  prefix: 'vk_Qm3x',
  description: 'bootstrap key (VIGIL_API_KEY)',
  createdAt: 1_764_000_000_000,
};
const NEW_KEY = 'vk_Zq81pT0cXrVb2mWn6yHs4dLk9fJa3eGu';

function server(): SentRequest[] {
  const keys = [EXISTING];
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects') return { body: PROJECTS };
    if (path === KEYS_PATH && req.method === 'GET') return { body: { keys } };
    if (path === KEYS_PATH && req.method === 'POST') {
      const info = {
        id: '0d9e8f7a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
        projectId: 'default',
        prefix: NEW_KEY.slice(0, 7),
        description: (req.body as { description: string }).description,
        createdAt: 1_764_000_100_000,
      };
      keys.push(info);
      return { status: 201, body: { ...info, key: NEW_KEY } };
    }
    if (path.startsWith(`${KEYS_PATH}/`) && req.method === 'DELETE') return { status: 204 };
    return {
      status: 404,
      body: { error: { code: 'not_found', message: `no route for ${req.method} ${path}` } },
    };
  });
}

describe('API keys tab', () => {
  it('shows a created key once, with the node-agent and Kubernetes commands and Copy buttons', async () => {
    const requests = server();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderSettings('api-keys');
    await screen.findByRole('cell', { name: EXISTING.description });

    fireEvent.change(screen.getByRole('textbox', { name: /Label/ }), {
      target: { value: 'prod node agents' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const panel = await screen.findByRole('region', { name: 'New API key' });
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ description: 'prod node agents' });
    expect(within(panel).getByLabelText('API key').textContent).toBe(NEW_KEY);
    expect(within(panel).getByLabelText('Node agent install command').textContent).toBe(
      `VIGIL_COLLECTOR_URL=${window.location.origin} VIGIL_API_KEY=${NEW_KEY} vigil node-agent`,
    );
    expect(within(panel).getByLabelText('Kubernetes secret command').textContent).toBe(
      `kubectl -n vigil create secret generic vigil-node-agent --from-literal=api-key=${NEW_KEY}`,
    );
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy API key' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(NEW_KEY));

    // The list shows only the prefix; once dismissed, the key is nowhere on the page.
    const table = screen.getByRole('table', { name: 'API keys' });
    await within(table).findByRole('cell', { name: 'prod node agents' });
    fireEvent.click(within(panel).getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByRole('region', { name: 'New API key' })).toBeNull();
    expect(document.body.textContent).not.toContain(NEW_KEY);
  });

  it('asks before revoking a key, and sends the DELETE only once confirmed', async () => {
    const requests = server();
    renderSettings('api-keys');
    fireEvent.click(
      await screen.findByRole('button', { name: `Revoke key vk_Qm3x… (${EXISTING.description})` }),
    );
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    const confirm = screen.getByRole('group', { name: /^Confirm: Revoke key vk_Qm3x/ });
    expect(confirm.textContent).toMatch(/cannot be undone/);

    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: /^Revoke key vk_Qm3x/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() =>
      expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url.pathname)).toEqual([
        `${KEYS_PATH}/${EXISTING.id}`,
      ]),
    );
  });

  it('says what is missing when the label is empty, without asking the server', async () => {
    const requests = server();
    renderSettings('api-keys');
    await screen.findByRole('table', { name: 'API keys' });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText(/Say where the key will be used/)).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
