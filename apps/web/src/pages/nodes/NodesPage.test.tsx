// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { NODE_ROWS, NODE_VIEW } from './node-fixtures.ts';
import { NodePage } from './NodePage.tsx';
import { NodesPage } from './NodesPage.tsx';
import { renderAt, serve } from './render-page.tsx';

const routes = { '/nodes': <NodesPage />, '/nodes/:name': <NodePage /> };

/** The table's node names, top to bottom. */
async function nodeOrder(): Promise<string[]> {
  const table = await screen.findByRole('table', { name: 'Nodes' });
  return within(table)
    .getAllByRole('link')
    .map((a) => a.textContent ?? '');
}

describe('NodesPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  test('lists the nodes of the range, busiest CPU first, with the range in the request', async () => {
    const requests = serve(() => ({
      body: { grid: { fromMs: 0, stepMs: 15_000, points: 240 }, nodes: NODE_ROWS },
    }));
    renderAt(routes, '/nodes?from=1718000000000&to=1718003600000');
    expect(await nodeOrder()).toEqual(['worker-1', 'worker-2', 'db-1']);
    expect(requests[0]?.pathname).toBe('/api/v1/overview/nodes');
    expect(requests[0]?.searchParams.get('from')).toBe('1718000000000');
    expect(screen.getByRole('row', { name: /db-1/ }).textContent).toMatch(/down/);
    const worker2 = screen.getByRole('row', { name: /worker-2/ });
    expect(within(worker2).getByText(/^5 MiB\/s in/)).toBeTruthy();
    expect(within(worker2).getByText('· 1 MiB/s out')).toBeTruthy();
    // An agent that stopped sent no traffic figures: one "no data", not one each way.
    expect(within(screen.getByRole('row', { name: /db-1/ })).getAllByText('no data')).toHaveLength(2);
  });

  test('sorts by a column when its header is clicked, and flips on a second click', async () => {
    serve(() => ({ body: { nodes: NODE_ROWS } }));
    renderAt(routes, '/nodes');
    await nodeOrder();
    const memory = screen.getByRole('button', { name: 'Memory' });
    fireEvent.click(memory);
    expect(await nodeOrder()).toEqual(['db-1', 'worker-2', 'worker-1']);
    expect(screen.getByRole('columnheader', { name: /Memory/ }).getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(memory);
    expect(await nodeOrder()).toEqual(['worker-1', 'worker-2', 'db-1']);
    fireEvent.click(screen.getByRole('button', { name: 'Node' }));
    expect(await nodeOrder()).toEqual(['db-1', 'worker-1', 'worker-2']);
    // Network sorts by bytes both ways: worker-2's 6 MiB/s over worker-1's 3.25 MiB/s.
    fireEvent.click(screen.getByRole('button', { name: 'Network' }));
    expect(await nodeOrder()).toEqual(['worker-2', 'worker-1', 'db-1']);
  });

  test('opens the node page, keeping the range, when a node is clicked', async () => {
    serve((url) =>
      url.pathname === '/api/v1/overview/nodes' ? { body: { nodes: NODE_ROWS } } : { body: NODE_VIEW },
    );
    renderAt(routes, '/nodes?from=now-6h&to=now');
    fireEvent.click(await screen.findByRole('link', { name: 'worker-1' }));
    expect(screen.getByRole('status', { name: 'Current URL' }).textContent).toBe(
      '/nodes/ec2a9f0c11d34c1f8e6fd1a4cf6e5b7a?from=now-6h&to=now',
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'worker-1' })).toBeTruthy();
  });

  test('says to install the node agent when there are no nodes', async () => {
    serve(() => ({ body: { nodes: [] } }));
    renderAt(routes, '/nodes');
    expect(await screen.findByText('No nodes in this range')).toBeTruthy();
    expect(screen.getByText(/node-agent/)).toBeTruthy();
  });

  test('shows the server’s message when the request fails', async () => {
    serve(() => ({
      status: 503,
      body: { error: { code: 'unavailable', message: 'metrics backend is not reachable' } },
    }));
    renderAt(routes, '/nodes');
    expect((await screen.findByRole('alert')).textContent).toMatch(/metrics backend is not reachable/);
  });
});

describe('NodePage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  test('charts CPU, memory, disk and network and lists the containers with links to their applications', async () => {
    const requests = serve(() => ({ body: NODE_VIEW }));
    renderAt(routes, '/nodes/worker-1?from=now-1h&to=now');
    expect(await screen.findByRole('figure', { name: 'CPU usage. Latest: CPU 87.9%.' })).toBeTruthy();
    expect(
      screen.getByRole('figure', { name: /^Memory\. Latest: used 6\.72 GiB, total 16 GiB\.$/ }),
    ).toBeTruthy();
    expect(
      screen.getByRole('figure', { name: 'Disk utilisation. Latest: nvme0n1 41%, sda 2%.' }),
    ).toBeTruthy();
    expect(
      screen.getByRole('figure', {
        name: 'Network. Latest: eth0 in 256 KiB/s, eth0 out 3 MiB/s, eth1 in 0 B/s, eth1 out 0 B/s.',
      }),
    ).toBeTruthy();
    expect(requests[0]?.pathname).toBe('/api/v1/nodes/worker-1');
    const containers = screen.getByRole('table', { name: 'Containers on this node' });
    expect(within(containers).getByRole('link', { name: '/k8s/shop/api' }).getAttribute('href')).toBe(
      '/apps/%2Fk8s%2Fshop%2Fapi?from=now-1h&to=now',
    );
    expect(within(containers).getByRole('row', { name: /api-7d9f8b6c4-x2kqp/ }).textContent).toMatch(
      /3\.2 cores/,
    );
  });

  test('shows the server’s message for an unknown node', async () => {
    serve(() => ({
      status: 404,
      body: { error: { code: 'not_found', message: 'no node "nope" in this range' } },
    }));
    renderAt(routes, '/nodes/nope');
    expect((await screen.findByRole('alert')).textContent).toMatch(/no node "nope" in this range/);
  });
});
