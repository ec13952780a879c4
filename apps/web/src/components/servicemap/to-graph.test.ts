import { describe, expect, it } from 'vitest';
import type { GroupBy } from './map-types.ts';
import { SHOP } from './test-map.ts';
import { EXTERNAL_GROUP_ID, toGraph } from './to-graph.ts';

describe('toGraph', () => {
  it.each<[string, GroupBy, boolean, string[], Record<string, string | undefined>]>([
    [
      'groups by namespace, hiding externals',
      'namespace',
      false,
      ['db (1)', 'shop (2)'],
      { '/k8s/shop/api': 'group:ns:shop', '/k8s/db/postgres': 'group:ns:db' },
    ],
    [
      'groups by category',
      'category',
      false,
      ['application (2)', 'database (1)'],
      { '/k8s/shop/api': 'group:cat:application' },
    ],
    ['does not group with none', 'none', false, [], { '/k8s/shop/api': undefined }],
    [
      'puts shown externals in their own group, last',
      'none',
      true,
      ['External (1)'],
      { '1.2.3.4:443': EXTERNAL_GROUP_ID },
    ],
    ['keeps externals last after namespaces', 'namespace', true, ['db (1)', 'shop (2)', 'External (1)'], {}],
  ])('%s', (_, groupBy, showExternal, groups, parents) => {
    const g = toGraph(SHOP, { groupBy, showExternal });
    expect(g.groups.map((x) => `${x.label} (${x.size})`)).toEqual(groups);
    for (const [id, parent] of Object.entries(parents))
      expect(g.nodes.find((n) => n.id === id)?.parent).toBe(parent);
  });

  it('drops the edges of hidden external addresses, and keeps them when shown', () => {
    expect(toGraph(SHOP, { groupBy: 'none' }).edges).toHaveLength(2);
    const shown = toGraph(SHOP, { groupBy: 'none', showExternal: true });
    expect(shown.edges).toHaveLength(3);
    expect(shown.nodes.find((n) => n.id === '1.2.3.4:443')?.external).toBe(true);
  });

  it('labels, widens and marks edges from their figures', () => {
    const e = toGraph(SHOP, { groupBy: 'none' }).edges[0]!;
    expect(e).toMatchObject({
      id: '/k8s/shop/frontend→/k8s/shop/api',
      label: '120 rps · 2.1% err · p95 85 ms',
      failing: true,
      health: 'warning',
    });
    expect(e.widthPx).toBeGreaterThan(toGraph(SHOP, { groupBy: 'none' }).edges[1]!.widthPx);
  });

  it('carries each application health as its status', () => {
    const g = toGraph(SHOP, { groupBy: 'none' });
    expect(Object.fromEntries(g.nodes.map((n) => [n.label, n.status]))).toEqual({
      frontend: 'ok',
      api: 'critical',
      postgres: 'warning',
    });
  });

  it.each([
    ['', { frontend: 'none', api: 'none', postgres: 'none' }, []],
    ['API', { frontend: 'neighbour', api: 'match', postgres: 'neighbour' }, ['/k8s/shop/api']],
    ['postgres', { frontend: 'faded', api: 'neighbour', postgres: 'match' }, ['/k8s/db/postgres']],
    [
      '  /k8s/shop/front ',
      { frontend: 'match', api: 'neighbour', postgres: 'faded' },
      ['/k8s/shop/frontend'],
    ],
    ['nothing-like-this', { frontend: 'faded', api: 'faded', postgres: 'faded' }, []],
  ])('search %j marks matches and keeps their neighbours', (search, marks, matches) => {
    const g = toGraph(SHOP, { groupBy: 'namespace', search });
    expect(Object.fromEntries(g.nodes.map((n) => [n.label, n.search]))).toEqual(marks);
    expect(g.matches).toEqual(matches);
  });

  it('marks the edges touching a match and fades the rest', () => {
    const g = toGraph(SHOP, { groupBy: 'none', search: 'frontend' });
    expect(g.edges.map((e) => e.search)).toEqual(['match', 'faded']);
  });
});
