import { describe, expect, it } from 'vitest';
import { isLogPath } from './open-log-files.ts';

describe('isLogPath', () => {
  it.each([
    ['/var/log/nginx/access.log', true],
    ['/var/log/app.log (deleted)', false],
    ['/var/log/pods/ns_pod_uid/c/0.log', false],
    ['/var/log/containers/x.log', false],
    ['/var/log/journal/abc/system.journal', false],
    ['/var/lib/app/data.log', false],
  ])('%s → %s', (path, expected) => {
    expect(isLogPath(path)).toBe(expected);
  });
});
