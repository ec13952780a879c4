// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { errorBody, PROJECTS, renderSettings, serve, type SentRequest } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// Two checks of DEFAULT_THRESHOLDS (packages/audit), and a saved project-wide override.
const INSPECTIONS = {
  defaults: {
    cpu_node: { report: 'CPU', title: 'Node CPU utilisation', unit: '%', warning: 80 },
    storage_space: { report: 'Storage', title: 'Disk space used', unit: '%', warning: 80, critical: 95 },
  },
  project: { storage_space: { warning: 85 } },
  applications: {},
};

function server(put: (req: SentRequest) => { status?: number; body?: unknown }): SentRequest[] {
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects') return { body: PROJECTS };
    if (path === '/api/v1/inspections' && req.method === 'GET') return { body: INSPECTIONS };
    if (path === '/api/v1/inspections' && req.method === 'PUT') return put(req);
    return { status: 404, body: errorBody('not_found', `no route for ${req.method} ${path}`) };
  });
}

describe('inspections tab', () => {
  it('sends the project-wide thresholds with the changed value in a PUT', async () => {
    const requests = server((req) => ({ body: req.body }));
    renderSettings('inspections');
    const cpu = await screen.findByRole('textbox', { name: 'Node CPU utilisation warning threshold' });
    expect(cpu.getAttribute('placeholder')).toBe('80');
    expect(
      (screen.getByRole('textbox', { name: 'Disk space used warning threshold' }) as HTMLInputElement).value,
    ).toBe('85');

    fireEvent.change(cpu, { target: { value: '90' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Disable Disk space used' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save thresholds' }));

    await waitFor(() => expect(requests.some((r) => r.method === 'PUT')).toBe(true));
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.url.searchParams.get('project')).toBe('default');
    expect(put?.body).toEqual({ cpu_node: { warning: 90 }, storage_space: { warning: 85, disabled: true } });
    expect(await screen.findByText('Thresholds saved.')).toBeTruthy();
  });

  it('refuses a value that is not a number, and shows the server refusal in the form', async () => {
    const requests = server(() => ({
      status: 400,
      body: errorBody('bad_request', 'invalid thresholds: cpu_node.warning: warning must be a number'),
    }));
    renderSettings('inspections');
    const cpu = await screen.findByRole('textbox', { name: 'Node CPU utilisation warning threshold' });
    fireEvent.change(cpu, { target: { value: 'lots' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save thresholds' }));
    expect(await screen.findByText('Enter a number')).toBeTruthy();
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);

    fireEvent.change(cpu, { target: { value: '70' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save thresholds' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'invalid thresholds: cpu_node.warning: warning must be a number',
    );
  });
});
