// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { Core } from 'cytoscape';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SHOP } from '../../components/servicemap/test-map.ts';
import { renderRoutes, serve as serveAll } from '../../testing/render-page.tsx';
import { MapPage } from './MapPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Serves one answer for every request (the map's); returns the requested URLs. */
const serve = (status: number, body: unknown): URL[] => serveAll(() => ({ status, body }));

function renderMap(search = '?from=1700000000000&to=1700003600000') {
  let cy: Core | undefined;
  renderRoutes(
    {
      '/map': <MapPage headless onMapReady={(c) => (cy = c)} />,
      '/apps/:appId': <p>app page</p>,
    },
    `/map${search}`,
  );
  return () => cy;
}

const url = () => screen.getByRole('status', { name: 'Current URL' }).textContent ?? '';

describe('MapPage', () => {
  it('draws the applications of the URL range, grouped by namespace, with the externals hidden', async () => {
    const requests = serve(200, SHOP);
    const cy = renderMap();
    expect(
      await screen.findByRole('img', { name: 'Service map: 3 applications, 2 connections' }),
    ).toBeTruthy();
    expect(requests[0]?.searchParams.get('from')).toBe('1700000000000');
    expect(
      cy()
        ?.nodes('.group')
        .map((n) => n.id()),
    ).toEqual(['group:ns:db', 'group:ns:shop']);
    expect(cy()?.getElementById('/k8s/shop/api').hasClass('critical')).toBe(true);
  });

  it('places applications at the layered layout, callers left, inside their group boxes', async () => {
    serve(200, SHOP);
    const cy = renderMap();
    await screen.findByRole('img', { name: /Service map/ });
    const at = (id: string) => cy()!.getElementById(id).position();
    expect(at('/k8s/shop/frontend').x).toBeLessThan(at('/k8s/shop/api').x);
    const shop = cy()!.getElementById('group:ns:shop');
    const [w, h] = [shop.data('widthPx') as number, shop.data('heightPx') as number];
    for (const id of ['/k8s/shop/frontend', '/k8s/shop/api']) {
      expect(Math.abs(at(id).x - shop.position().x)).toBeLessThan(w / 2);
      expect(Math.abs(at(id).y - shop.position().y)).toBeLessThan(h / 2);
    }
  });

  it('opens the application page when a node is clicked', async () => {
    serve(200, SHOP);
    const cy = renderMap();
    await screen.findByRole('img', { name: /Service map/ });
    cy()?.getElementById('/k8s/shop/api').emit('tap');
    expect(await screen.findByText('app page')).toBeTruthy();
    expect(url()).toBe('/apps/%2Fk8s%2Fshop%2Fapi?from=1700000000000&to=1700003600000');
  });

  it('keeps the grouping, the external toggle and the search in the URL', async () => {
    serve(200, SHOP);
    renderMap();
    await screen.findByRole('img', { name: /Service map/ });
    fireEvent.click(screen.getByRole('switch', { name: 'Show external addresses' }));
    expect(url()).toContain('external=1');
    expect(
      await screen.findByRole('img', { name: 'Service map: 4 applications, 3 connections' }),
    ).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Find application' }), {
      target: { value: 'postgres' },
    });
    expect(url()).toContain('q=postgres');
    const results = await screen.findByRole('navigation', { name: 'Search results' });
    expect(results.textContent).toContain('postgres');
  });

  it('says how to get applications when there are none', async () => {
    serve(200, { nodes: [], edges: [] });
    renderMap();
    expect(await screen.findByText('No applications yet')).toBeTruthy();
  });

  it('shows the server message when the map fails to load', async () => {
    serve(500, { error: { code: 'internal', message: 'metrics backend unreachable' } });
    renderMap();
    expect((await screen.findByRole('alert')).textContent).toContain('metrics backend unreachable');
  });
});
