import { describe, expect, it } from 'vitest';
import { endpoint, parseTcpProgramLine } from './tcp-events.ts';

describe('parseTcpProgramLine', () => {
  it('reads the OOM and heartbeat lines tcp-program.ts prints', () => {
    expect(parseTcpProgramLine('O 4242 1963 dd')).toEqual({
      kind: 'oom',
      pid: 4242,
      cgroupId: '1963',
      comm: 'dd',
    });
    expect(parseTcpProgramLine('O 4242 1963 my worker')).toMatchObject({ comm: 'my worker' });
    expect(parseTcpProgramLine('H')).toEqual({ kind: 'heartbeat' });
    expect(parseTcpProgramLine('O x')).toBeUndefined();
    expect(parseTcpProgramLine('Attaching 7 probes...')).toBeUndefined();
  });

  it('writes destinations as Coroot does: IPv6 in brackets, IPv4-mapped as IPv4', () => {
    expect(endpoint('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(endpoint('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
    expect(endpoint('::ffff:127.0.0.1', 5432)).toBe('127.0.0.1:5432');
  });
});
