// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogHistogram } from '@vigil/spec';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderAt } from '../../pages/logs/test-harness.tsx';
import { SeverityHistogram } from './SeverityHistogram.tsx';

afterEach(cleanup);

const histogram: LogHistogram = {
  stepMs: 60_000,
  buckets: [
    { timeMs: 0, counts: { info: 4, error: 1 } },
    { timeMs: 60_000, counts: { warn: 2 } },
  ],
};

describe('SeverityHistogram', () => {
  it('reports the dragged range as from/to (jsdom has no layout: 1 client px = 1 unit)', () => {
    const onBrush = vi.fn();
    renderAt(
      <SeverityHistogram histogram={histogram} fromMs={0} toMs={120_000} onBrush={onBrush} width={1200} />,
    );
    const chart = screen.getByRole('grid', { name: /severity histogram/i });
    fireEvent.mouseDown(chart, { clientX: 600 });
    fireEvent.mouseMove(chart, { clientX: 900 });
    expect(screen.getByTestId('brush').getAttribute('width')).toBe('300');
    fireEvent.mouseUp(chart, { clientX: 900 });
    expect(onBrush).toHaveBeenCalledWith(60_000, 90_000);
    expect(screen.queryByTestId('brush')).toBeNull();
  });

  it('treats a click as no zoom', () => {
    const onBrush = vi.fn();
    renderAt(<SeverityHistogram histogram={histogram} fromMs={0} toMs={120_000} onBrush={onBrush} />);
    const chart = screen.getByRole('grid', { name: /severity histogram/i });
    fireEvent.mouseDown(chart, { clientX: 10 });
    fireEvent.mouseUp(chart, { clientX: 11 });
    expect(onBrush).not.toHaveBeenCalled();
  });

  it('shows the total per severity', () => {
    renderAt(<SeverityHistogram histogram={histogram} fromMs={0} toMs={120_000} onBrush={() => {}} />);
    expect(screen.getByText(/info 4/)).toBeTruthy();
    expect(screen.getByText(/warn 2/)).toBeTruthy();
  });
});
