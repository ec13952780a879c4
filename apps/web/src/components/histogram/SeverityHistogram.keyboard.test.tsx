// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogHistogram } from '@vigil/spec';
import axe from 'axe-core';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderAt } from '../../pages/logs/test-harness.tsx';
import { SeverityHistogram } from './SeverityHistogram.tsx';

afterEach(cleanup);

// Local times, so the labels read the same in every time zone.
const T0 = new Date(2024, 2, 14, 10, 0).getTime();
const MINUTE = 60_000;
const histogram: LogHistogram = {
  stepMs: MINUTE,
  buckets: [
    { timeMs: T0, counts: { info: 4, error: 1 } },
    { timeMs: T0 + MINUTE, counts: { warn: 2 } },
  ],
};

/** The histogram over three minutes (the last one empty), focused as Tab would. */
function renderFocused(onBrush = vi.fn()) {
  renderAt(<SeverityHistogram histogram={histogram} fromMs={T0} toMs={T0 + 3 * MINUTE} onBrush={onBrush} />);
  const chart = screen.getByRole('grid', { name: /^Log severity histogram/ });
  act(() => chart.focus());
  const key = (key: string, shiftKey = false) => fireEvent.keyDown(chart, { key, shiftKey });
  const active = () => document.getElementById(chart.getAttribute('aria-activedescendant') ?? '');
  const selectedCells = () =>
    screen.getAllByRole('gridcell').filter((c) => c.getAttribute('aria-selected') === 'true');
  // The page harness renders its own status (the URL), so look next to the chart.
  const announced = () => within(chart.parentElement!).getByRole('status').textContent;
  return { chart, key, active, selectedCells, announced, onBrush };
}

describe('SeverityHistogram by keyboard', () => {
  it('labels every bucket, empty ones too, with its time and counts per severity', () => {
    renderFocused();
    expect(screen.getAllByRole('gridcell').map((c) => c.getAttribute('aria-label'))).toEqual([
      '10:00–10:01: 5 logs: 1 error, 4 info',
      '10:01–10:02: 2 logs: 2 warn',
      '10:02–10:03: no logs',
    ]);
  });

  it('moves the cursor with the arrows, announcing the bucket under it', () => {
    const { key, active } = renderFocused();
    expect(active()?.getAttribute('aria-label')).toBe('10:00–10:01: 5 logs: 1 error, 4 info');
    key('ArrowRight');
    expect(active()?.getAttribute('aria-label')).toBe('10:01–10:02: 2 logs: 2 warn');
    key('End');
    key('ArrowRight'); // past the end: stays on the last bucket
    expect(active()?.getAttribute('aria-label')).toBe('10:02–10:03: no logs');
    expect(screen.getByTestId('keyboard-cursor')).toBeTruthy();
  });

  it('zooms to the buckets selected with Shift+arrows when Enter is pressed', () => {
    const { key, selectedCells, announced, onBrush } = renderFocused();
    key('ArrowRight');
    key('ArrowLeft', true);
    expect(selectedCells()).toHaveLength(2);
    expect(announced()).toBe(
      'Selected 10:00–10:02 (2 buckets): 7 logs: 1 error, 2 warn, 4 info. Enter zooms, Escape clears.',
    );
    key('Enter');
    expect(onBrush).toHaveBeenCalledExactlyOnceWith(T0, T0 + 2 * MINUTE);
    expect(selectedCells()).toHaveLength(0);
  });

  it('zooms to the bucket under the cursor after Escape dropped the selection', () => {
    const { key, selectedCells, announced, onBrush } = renderFocused();
    key('ArrowRight', true);
    key('ArrowRight', true);
    expect(selectedCells()).toHaveLength(3);
    expect(key('Escape')).toBe(false); // handled: default prevented
    expect(selectedCells()).toHaveLength(0);
    expect(announced()).toBe('');
    key('Enter');
    expect(onBrush).toHaveBeenCalledExactlyOnceWith(T0 + 2 * MINUTE, T0 + 3 * MINUTE);
  });

  it('leaves keys it does not use to the page', () => {
    const { key, chart } = renderFocused();
    expect(key('Escape')).toBe(true); // nothing selected: a surrounding dialog may close
    expect(fireEvent.keyDown(chart, { key: 'ArrowLeft', altKey: true })).toBe(true); // browser Back
    expect(key('Tab')).toBe(true);
    expect(key('ArrowRight')).toBe(false);
  });

  it('hides the keyboard cursor when the mouse takes over, and still zooms by dragging', () => {
    const { key, chart, onBrush } = renderFocused();
    key('ArrowRight');
    expect(screen.getByTestId('keyboard-cursor')).toBeTruthy();
    fireEvent.mouseDown(chart, { clientX: 0 });
    expect(screen.queryByTestId('keyboard-cursor')).toBeNull();
    fireEvent.mouseMove(chart, { clientX: 500 });
    fireEvent.mouseUp(chart, { clientX: 500 });
    expect(onBrush).toHaveBeenCalledExactlyOnceWith(T0, T0 + 90_000); // half of 3 minutes
  });

  it('passes axe with a selection showing', async () => {
    const { key } = renderFocused();
    key('ArrowRight', true);
    // Not judged here: colours (jsdom has no rendering) and landmarks (the chart is not a page).
    const results = await axe.run(document.body, {
      rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  });
});
