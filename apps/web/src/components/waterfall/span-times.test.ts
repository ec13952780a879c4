import { describe, expect, it } from 'vitest';
import { spanTimes } from './span-times.ts';

const at = (...starts: string[]) => starts.map((startTimeUnixNano) => ({ startTimeUnixNano }));

describe('spanTimes', () => {
  const cases: Array<{ name: string; starts: string[]; min: string; offsets: number[] }> = [
    {
      name: 'measures from the earliest start wherever it is in the list',
      starts: ['1764000000000000500', '1764000000000000000', '1764000000000001000'],
      min: '1764000000000000000',
      offsets: [500, 0, 1000],
    },
    {
      name: 'carries across a second boundary exactly',
      starts: ['1764000000999999999', '1764000001000000001'],
      min: '1764000000999999999',
      offsets: [0, 2],
    },
    {
      name: 'keeps nanosecond precision where a float of the whole time would not (past 2^53)',
      starts: ['9007199254740993001', '9007199254740993000'],
      min: '9007199254740993000',
      offsets: [1, 0],
    },
    {
      name: 'reads times shorter than a second',
      starts: ['42', '7'],
      min: '7',
      offsets: [35, 0],
    },
    { name: 'has no earliest start without spans', starts: [], min: '0', offsets: [] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const times = spanTimes(at(...c.starts));
      expect(times.minStartUnixNano).toBe(c.min);
      expect([...times.startOffsetNs]).toEqual(c.offsets);
    });

  it('computes once per span list', () => {
    const spans = at('1', '2');
    expect(spanTimes(spans)).toBe(spanTimes(spans));
  });
});
