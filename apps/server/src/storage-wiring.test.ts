import { describe, expect, it } from 'vitest';
import { baseDatabase, projectDatabase } from './storage-wiring.ts';

describe('choosing ClickHouse databases', () => {
  it.each([
    [{ clickhouseDatabase: 'explicit', clickhouseUrl: 'http://h:8123/fromurl' }, 'explicit'],
    [{ clickhouseDatabase: undefined, clickhouseUrl: 'http://h:8123/fromurl' }, 'fromurl'],
    [{ clickhouseDatabase: undefined, clickhouseUrl: 'https://u:p@h:8443/' }, 'vigil'],
    [{ clickhouseDatabase: undefined, clickhouseUrl: undefined }, 'vigil'],
  ])('uses the setting, else the URL path, else vigil (%o)', (config, expected) => {
    expect(baseDatabase(config)).toBe(expected);
  });

  it('gives every non-default project its own database', () => {
    expect(projectDatabase('vigil', 'default')).toBe('vigil');
    expect(projectDatabase('vigil', 'team-a')).toBe('vigil_p_team_a');
  });
});
