// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { markAfterPaint, markOnce } from './paint-mark.ts';

const marks = (name: string) => performance.getEntriesByName(name, 'mark');

afterEach(() => performance.clearMarks());

describe('paint marks', () => {
  it('sets a mark once per page load: the bench times the first trace opened', () => {
    markOnce('vigil:test:once');
    const first = marks('vigil:test:once')[0]?.startTime;
    markOnce('vigil:test:once');
    expect(marks('vigil:test:once')).toHaveLength(1);
    expect(marks('vigil:test:once')[0]?.startTime).toBe(first);
  });

  it('marks after the next frame, and not at all when cancelled first', async () => {
    markAfterPaint('vigil:test:painted');
    const cancel = markAfterPaint('vigil:test:cancelled');
    cancel();
    expect(marks('vigil:test:painted')).toHaveLength(0);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 10)));
    expect(marks('vigil:test:painted')).toHaveLength(1);
    expect(marks('vigil:test:cancelled')).toHaveLength(0);
  });
});
