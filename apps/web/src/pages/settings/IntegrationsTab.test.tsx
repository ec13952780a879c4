// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { errorBody, PROJECTS, renderSettings, serve } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const BASE = '/api/v1/projects/default/integrations';
// A Slack integration as IntegrationService.view shows it: the webhook URL masked.
const SLACK = {
  type: 'slack',
  enabled: true,
  incidents: true,
  deployments: false,
  config: { webhookUrl: '••••Xb3Z', apiUrl: 'https://slack.com/api' },
  createdAtMs: 1_764_000_000_000,
  updatedAtMs: 1_764_000_000_000,
  lastSuccessAtMs: null,
  lastError: null,
};

function server() {
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects') return { body: PROJECTS };
    if (path === BASE) {
      return {
        body: { integrations: [SLACK], types: ['opsgenie', 'pagerduty', 'slack', 'teams', 'webhook'] },
      };
    }
    if (path === `${BASE}/slack/test` && req.method === 'POST') {
      // The receiver refused: notification-routes.ts answers 502 with its message.
      return { status: 502, body: errorBody('delivery_failed', 'slack answered 404: no_service') };
    }
    if (path === '/api/v1/integrations/aws') {
      return {
        body: { configured: false, secretAccessKeySet: false, rdsTagFilters: {}, elasticacheTagFilters: {} },
      };
    }
    return { status: 404, body: errorBody('not_found', `no route for ${req.method} ${path}`) };
  });
}

describe('integrations tab', () => {
  it('sends a test notification and shows the receiver refusal', async () => {
    const requests = server();
    renderSettings('integrations');
    fireEvent.click(await screen.findByRole('button', { name: /slack/ }));
    const form = await screen.findByRole('form', { name: 'slack integration' });
    expect(
      (within(form).getByRole('textbox', { name: /slack configuration/ }) as HTMLTextAreaElement).value,
    ).toContain('••••Xb3Z');
    fireEvent.click(within(form).getByRole('button', { name: 'Send test' }));
    await waitFor(() =>
      expect(requests.some((r) => r.method === 'POST' && r.url.pathname === `${BASE}/slack/test`)).toBe(true),
    );
    expect((await within(form).findByRole('alert')).textContent).toContain('slack answered 404: no_service');
  });
});
