import { describe, expect, it } from 'vitest';
import type { ApplicationRow, Status } from '../../api/types.ts';
import { categories, filterRows, nextSort, reportColumns, sortRows } from './overview-rows.ts';

function row(name: string, category: string, reports: Record<string, Status>): ApplicationRow {
  const cells = Object.fromEntries(
    Object.entries(reports).map(([k, status]) => [k, { status, message: '' }]),
  );
  const worst = (['critical', 'warning', 'unknown', 'ok'] as const).find((s) =>
    Object.values(reports).includes(s),
  );
  return {
    id: `/k8s/shop/${name}`,
    name,
    namespace: 'shop',
    kind: 'kubernetes',
    category,
    types: [],
    instances: 1,
    status: worst ?? 'unknown',
    reports: cells,
  };
}

const rows = [
  row('frontend', 'application', { CPU: 'ok', SLO: 'ok' }),
  row('api', 'application', { CPU: 'critical', Memory: 'warning', SLO: 'ok' }),
  row('prometheus', 'monitoring', { CPU: 'warning', Postgres: 'unknown' }),
  row('batch', 'application', { CPU: 'ok', Redis: 'ok' }),
];
const names = (rs: readonly ApplicationRow[]) => rs.map((r) => r.name);

describe('the overview table', () => {
  it('orders report columns as Coroot does, unknown ones alphabetically after', () => {
    expect(reportColumns(rows)).toEqual(['SLO', 'CPU', 'Memory', 'Postgres', 'Redis']);
  });

  it('lists the categories once each, sorted', () => {
    expect(categories(rows)).toEqual(['application', 'monitoring']);
  });

  it.each([
    [undefined, '', ['frontend', 'api', 'prometheus', 'batch']],
    ['monitoring', '', ['prometheus']],
    [undefined, 'API', ['api']],
    [undefined, 'shop/b', ['batch']],
    ['monitoring', 'api', []],
  ] as const)('filters category %s and text %j', (category, text, want) => {
    expect(names(filterRows(rows, category, text))).toEqual(want);
  });

  it('sorts by name either way', () => {
    expect(names(sortRows(rows, { column: 'name', descending: false }))).toEqual([
      'api',
      'batch',
      'frontend',
      'prometheus',
    ]);
    expect(names(sortRows(rows, { column: 'name', descending: true }))).toEqual([
      'prometheus',
      'frontend',
      'batch',
      'api',
    ]);
  });

  it('sorts a report column worst first, applications without the report last, ties by name', () => {
    expect(names(sortRows(rows, { column: 'CPU', descending: true }))).toEqual([
      'api',
      'prometheus',
      'batch',
      'frontend',
    ]);
    expect(names(sortRows(rows, { column: 'Memory', descending: true }))).toEqual([
      'api',
      'batch',
      'frontend',
      'prometheus',
    ]);
  });

  it('flips the direction on the same column and starts a status column worst first', () => {
    expect(nextSort({ column: 'name', descending: false }, 'name')).toEqual({
      column: 'name',
      descending: true,
    });
    expect(nextSort({ column: 'name', descending: false }, 'CPU')).toEqual({
      column: 'CPU',
      descending: true,
    });
    expect(nextSort({ column: 'CPU', descending: true }, 'category')).toEqual({
      column: 'category',
      descending: false,
    });
  });
});
