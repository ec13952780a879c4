/**
 * PSI parsing on files captured on this project's machine, and the real pressure files of this
 * machine's cgroup v2 hierarchy (readable without root).
 */
import { existsSync } from 'node:fs';
import { serviceGate } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import { detectLayout } from './container-resources.ts';
import { parsePressure, pressureFamilies, readPressure } from './pressure.ts';

describe('parsePressure', () => {
  it.each([
    [
      'a group with both lines (µs → s)',
      'some avg10=0.00 avg60=5.20 avg300=7.71 total=39851458\nfull avg10=0.00 avg60=5.20 avg300=7.68 total=39456148\n',
      { some: 39.851458, full: 39.456148 },
    ],
    [
      'the root group’s cpu.pressure, whose full line is all zeros',
      'some avg10=1.88 avg60=11.60 avg300=21.70 total=245847919\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
      { some: 245.847919, full: 0 },
    ],
    [
      'a kernel before 5.13: cpu.pressure has no full line',
      'some avg10=0.00 avg60=0.00 avg300=0.00 total=5498\n',
      { some: 0.005498 },
    ],
    ['an empty file', '', {}],
    ['a line without total', 'some avg10=0.00 avg60=0.00 avg300=0.00\n', {}],
  ])('%s', (_name, text, expected) => {
    expect(parsePressure(text)).toEqual(expected);
  });
});

describe('readPressure on this machine', () => {
  it('reads all three resources of the v2 root group, some and full', async () => {
    const layout = await detectLayout();
    if (!serviceGate('a cgroup v2 hierarchy', layout.v2Root !== undefined, 'run on a v2 or hybrid host'))
      return;
    if (!serviceGate('PSI', existsSync('/proc/pressure/cpu'), 'boot with psi=1')) return;
    const pressure = await readPressure(layout.v2Root!);
    for (const resource of ['cpu', 'memory', 'io'] as const) {
      expect(pressure[resource].some, resource).toBeGreaterThanOrEqual(0);
      expect(pressure[resource].full, resource).toBeGreaterThanOrEqual(0);
    }
    // The machine has been busy since it booted (tests, builds): some CPU stall is certain.
    expect(pressure.cpu.some).toBeGreaterThan(0);
  });

  it('leaves every figure undefined for a directory without pressure files', async () => {
    expect(await readPressure('/proc/self')).toEqual({ cpu: {}, memory: {}, io: {} });
  });
});

describe('pressureFamilies', () => {
  it('writes one sample per resource and kind, with the container’s labels and kind', () => {
    const families = pressureFamilies([
      {
        labels: { container_id: '/docker/a', app_id: '/docker/a' },
        pressure: { cpu: { some: 1.5, full: 0.5 }, memory: { some: 0 }, io: {} },
      },
    ]);
    expect(families.map((f) => [f.name, f.type, f.samples])).toEqual([
      [
        'container_resources_cpu_pressure_waiting_seconds_total',
        'counter',
        [
          { labels: { container_id: '/docker/a', app_id: '/docker/a', kind: 'some' }, value: 1.5 },
          { labels: { container_id: '/docker/a', app_id: '/docker/a', kind: 'full' }, value: 0.5 },
        ],
      ],
      [
        'container_resources_memory_pressure_waiting_seconds_total',
        'counter',
        [{ labels: { container_id: '/docker/a', app_id: '/docker/a', kind: 'some' }, value: 0 }],
      ],
      ['container_resources_io_pressure_waiting_seconds_total', 'counter', []],
    ]);
  });
});
