// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderRoutes } from '../testing/render-page.tsx';
import { TimeRangePicker } from './TimeRangePicker.tsx';
import { resolveTime } from './time-range.ts';

// (jsdom never finishes Mantine's opening transition, so the popover's content stays
// display:none to the accessibility tree: its button is found with `hidden: true`; Chromium's e2e
// test drives the same popover visibly.)
afterEach(cleanup);

const currentUrl = () => new URL(screen.getByLabelText('Current URL').textContent ?? '', 'http://x');

function renderPicker(at: string) {
  return renderRoutes({ '/logs': <TimeRangePicker /> }, at);
}

/** `datetime-local` text for a local wall-clock time (what a user types). */
function local(year: number, month: number, day: number, hour: number, minute: number): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}`;
}

describe('TimeRangePicker', () => {
  it('shows the URL’s preset and writes a new one into the URL, keeping other parameters', async () => {
    renderPicker('/logs?service=api&from=now-1h&to=now');
    const select = screen.getByRole('combobox', { name: 'Time range' });
    expect((select as HTMLInputElement).value).toBe('Last hour');
    fireEvent.click(select);
    fireEvent.click(await screen.findByRole('option', { name: 'Last 6 hours' }));
    await waitFor(() => expect(currentUrl().searchParams.get('from')).toBe('now-6h'));
    expect(currentUrl().searchParams.get('to')).toBe('now');
    expect(currentUrl().searchParams.get('service')).toBe('api');
    expect(currentUrl().pathname).toBe('/logs');
  });

  it('reads an absolute range as "Custom range"', () => {
    renderPicker('/logs?from=1700000000000&to=1700003600000');
    expect((screen.getByRole('combobox', { name: 'Time range' }) as HTMLInputElement).value).toBe(
      'Custom range',
    );
  });

  it('applies an absolute range as Unix milliseconds of the local times typed', async () => {
    renderPicker('/logs?from=now-1h&to=now');
    fireEvent.click(screen.getByRole('button', { name: 'Absolute range' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('From'), { target: { value: local(2030, 1, 2, 3, 4) } });
    fireEvent.change(within(dialog).getByLabelText('To'), { target: { value: local(2030, 1, 2, 5, 4) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Apply range', hidden: true }));
    await waitFor(() =>
      expect(currentUrl().searchParams.get('from')).toBe(String(new Date(2030, 0, 2, 3, 4).getTime())),
    );
    expect(currentUrl().searchParams.get('to')).toBe(String(new Date(2030, 0, 2, 5, 4).getTime()));
  });

  it('refuses a range whose start is not before its end, saying why', async () => {
    renderPicker('/logs?from=now-1h&to=now');
    fireEvent.click(screen.getByRole('button', { name: 'Absolute range' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('From'), { target: { value: local(2030, 1, 2, 5, 4) } });
    fireEvent.change(within(dialog).getByLabelText('To'), { target: { value: local(2030, 1, 2, 3, 4) } });
    expect(within(dialog).getByText('"From" must be before "to"')).toBeTruthy();
    const apply = within(dialog).getByRole('button', { name: 'Apply range', hidden: true });
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(apply);
    expect(currentUrl().searchParams.get('from')).toBe('now-1h');
  });
});

describe('resolveTime', () => {
  const now = 1_700_000_000_000;
  it.each([
    ['now', now],
    ['now-15m', now - 15 * 60_000],
    ['now-6h', now - 6 * 3_600_000],
    ['now-7d', now - 7 * 86_400_000],
    ['now-2w', now - 14 * 86_400_000],
    ['1690000000000', 1_690_000_000_000],
    ['yesterday', undefined],
    ['now-5y', undefined],
    ['', undefined],
  ])('%s', (text, want) => {
    expect(resolveTime(text, now)).toBe(want);
  });
});
