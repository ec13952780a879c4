import { describe, expect, test } from 'vitest';
import type { ReportView } from '../../api/types.ts';
import { API_VIEW, SHOP_ROWS } from './app-fixtures.ts';
import { nameFromId, peersOf } from './app-peers.ts';
import { valueText } from './CheckTable.tsx';
import { instanceName } from './InstancesTable.tsx';
import { selectedReport } from './report-selection.ts';
import { telemetryLinks, telemetryService } from './telemetry-links.ts';

describe('valueText', () => {
  test.each([
    { check: { value: 6, threshold: 0, unit: 'count' }, text: '6 (threshold 0)' },
    { check: { value: 95.24, threshold: 99, unit: '%' }, text: '95.2% (threshold 99%)' },
    { check: { threshold: 0.02, unit: 's/s' }, text: 'threshold 0.02 s/s' },
    { check: { value: 0.0004, unit: 's' }, text: '400 µs' },
    { check: {}, text: '' },
  ])('$text', ({ check, text }) => expect(valueText(check)).toBe(text));
});

describe('names from ids', () => {
  test.each([
    { id: '/k8s/shop/api-r0-2/api', instance: 'api-r0-2', app: 'api' },
    { id: '/docker/redis', instance: 'redis', app: 'redis' },
    { id: '/system.slice/nginx.service', instance: 'nginx.service', app: 'nginx.service' },
  ])('$id', ({ id, instance, app }) => {
    expect(instanceName(id)).toBe(instance);
    expect(nameFromId(id)).toBe(app);
  });
});

describe('peersOf', () => {
  test('names and colours peers from the overview, and leaves out the application itself', () => {
    const self = { ...API_VIEW.upstreams[0]!, appId: API_VIEW.id };
    const peers = peersOf(API_VIEW.id, [...API_VIEW.upstreams, self], SHOP_ROWS);
    expect(peers.map((p) => [p.name, p.status, p.known])).toEqual([
      ['postgres', 'ok', true],
      ['redis', 'ok', true],
    ]);
  });

  test('links every peer while the overview is unknown, none it does not list once known', () => {
    const stranger = { ...API_VIEW.upstreams[0]!, appId: '/k8s/other/thing' };
    expect(peersOf(API_VIEW.id, [stranger], undefined)[0]).toMatchObject({
      name: 'thing',
      status: 'unknown',
      known: true,
    });
    expect(peersOf(API_VIEW.id, [stranger], SHOP_ROWS)[0]?.known).toBe(false);
  });
});

describe('selectedReport', () => {
  const report = (name: string, status: ReportView['status'], noData?: string): ReportView => ({
    name,
    status,
    checks: [],
    charts: [],
    ...(noData ? { noData } : {}),
  });
  const reports = [
    report('SLO', 'ok'),
    report('Storage', 'unknown', 'no volumes'),
    report('CPU', 'warning'),
    report('Memory', 'warning'),
  ];

  test.each([
    { requested: 'Memory', selected: 'Memory' },
    { requested: 'Storage', selected: 'Storage' },
    { requested: null, selected: 'CPU' },
    { requested: 'Postgres', selected: 'CPU' },
  ])('asked for $requested → $selected', ({ requested, selected }) => {
    expect(selectedReport(reports, requested)).toBe(selected);
  });

  test('falls back to the first report when none has data, and to nothing without reports', () => {
    expect(selectedReport([report('Storage', 'unknown', 'x'), report('DNS', 'unknown', 'y')], null)).toBe(
      'Storage',
    );
    expect(selectedReport([], null)).toBeUndefined();
  });
});

describe('telemetry links', () => {
  const app = { id: '/k8s/shop/api', name: 'api' };

  test.each([
    {
      services: [{ name: '/k8s/shop/api', lastSeenMs: 1, signals: ['logs'] as const }],
      service: '/k8s/shop/api',
      signals: ['logs'],
    },
    {
      services: [{ name: 'api', lastSeenMs: 1, signals: ['traces', 'logs'] as const }],
      service: 'api',
      signals: ['traces', 'logs'],
    },
    {
      services: [{ name: 'cart', lastSeenMs: 1, signals: ['traces'] as const }],
      service: '/k8s/shop/api',
      signals: [],
    },
  ])('services $services → $service', ({ services, service, signals }) => {
    const seen = telemetryService(
      app,
      services.map((s) => ({ ...s, signals: [...s.signals] })),
    );
    expect(seen.service).toBe(service);
    expect([...seen.signals]).toEqual(signals);
  });

  test('keep the range as written and encode the service', () => {
    expect(telemetryLinks('/k8s/shop/api', { from: 'now-6h', to: 'now' })).toEqual({
      logs: '/logs?service=%2Fk8s%2Fshop%2Fapi&from=now-6h&to=now',
      traces: '/traces?service=%2Fk8s%2Fshop%2Fapi&from=now-6h&to=now',
      profiles: '/profiles?service=%2Fk8s%2Fshop%2Fapi&from=now-6h&to=now',
    });
  });
});
