import { describe, expect, it } from 'vitest';
import { parseJournalEntry } from './journald-follower.ts';

describe('parseJournalEntry', () => {
  it.each([
    [
      '{"__REALTIME_TIMESTAMP":"1767225600123456","_SYSTEMD_UNIT":"nginx.service","PRIORITY":"3","MESSAGE":"upstream timed out\\n"}',
      {
        unit: 'nginx.service',
        slice: '',
        message: 'upstream timed out',
        priority: 3,
        timestampMs: 1767225600123,
      },
    ],
    [
      // journald sends MESSAGE as bytes when it is not valid UTF-8 text
      '{"__REALTIME_TIMESTAMP":"1767225600000000","_SYSTEMD_UNIT":"app.service","MESSAGE":[104,105]}',
      { unit: 'app.service', slice: '', message: 'hi', priority: undefined, timestampMs: 1767225600000 },
    ],
  ])('reads %s', (line, expected) => {
    expect(parseJournalEntry(line)).toEqual(expected);
  });

  it.each([
    ['no unit (kernel, a user session)', '{"MESSAGE":"x","PRIORITY":"6"}'],
    ['no message', '{"_SYSTEMD_UNIT":"a.service"}'],
    ['not JSON', '-- Boot 1234 --'],
  ])('skips an entry with %s', (_what, line) => {
    expect(parseJournalEntry(line)).toBeUndefined();
  });
});
