import { describe, expect, it } from 'vitest';
import { endpoint, parseTcpEvent } from './tcp-events.ts';

describe('parseTcpEvent', () => {
  it('reads the lines tcp-program.ts prints (as bpftrace printed them in a real run)', () => {
    expect(parseTcpEvent('C 7850 -131387259830080 43635 127.0.0.1 50908 127.0.0.1 5432 1963 psql')).toEqual({
      kind: 'connect',
      pid: 7850,
      sock: '-131387259830080',
      durationNs: 43635,
      source: '127.0.0.1:50908',
      destination: '127.0.0.1:5432',
      cgroupId: '1963',
      comm: 'psql',
    });
    expect(parseTcpEvent('F 7853 -131387290000000 233928 ::1 1 1 node worker')).toEqual({
      kind: 'failed',
      pid: 7853,
      sock: '-131387290000000',
      durationNs: 233928,
      destination: '[::1]:1',
      cgroupId: '1',
      comm: 'node worker',
    });
    expect(parseTcpEvent('X -131387259830080 86 481 2')).toEqual({
      kind: 'close',
      sock: '-131387259830080',
      sent: 86,
      received: 481,
      retransmits: 2,
    });
    expect(parseTcpEvent('O 4242 1963 dd')).toEqual({ kind: 'oom', pid: 4242, cgroupId: '1963', comm: 'dd' });
    expect(parseTcpEvent('H')).toEqual({ kind: 'heartbeat' });
    expect(parseTcpEvent('C 1 2')).toBeUndefined();
    expect(parseTcpEvent('Attaching 7 probes...')).toBeUndefined();
  });

  it('writes destinations as Coroot does: IPv6 in brackets, IPv4-mapped as IPv4', () => {
    expect(endpoint('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(endpoint('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
    expect(endpoint('::ffff:127.0.0.1', 5432)).toBe('127.0.0.1:5432');
  });
});
