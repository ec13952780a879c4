import { describe, expect, it } from 'vitest';
import { hostAppId, programName, type HostProcess } from './host-apps.ts';

const proc = (
  pid: number,
  ppid: number,
  exe: string | undefined,
  cmdline: string[],
  appType?: string,
  kind = 'host',
): HostProcess => ({
  pid,
  ppid,
  comm: cmdline[0]?.slice(0, 15) ?? '',
  cmdline,
  exe,
  appType,
  identity: { kind },
});

function tree(...procs: HostProcess[]): (pid: number) => HostProcess | undefined {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return (pid) => byPid.get(pid);
}

describe('host applications', () => {
  const pg = '/usr/lib/postgresql/15/bin/postgres';
  const postmaster = proc(100, 1, pg, [pg, '-D', '/var/lib/postgresql/15/main'], 'postgres');
  const backend = proc(120, 100, pg, ['postgres: 15/main: postgres test 127.0.0.1(5000) idle'], 'postgres');
  const archiver = proc(130, 100, '/usr/bin/dash', ['sh', '-c', 'cp x y']);
  const shell = proc(200, 1, '/usr/bin/bash', ['-bash']);
  const nodeApp = proc(210, 200, '/usr/bin/node', ['node', 'server.js'], 'nodejs');
  const nodeWorker = proc(211, 210, '/usr/bin/node', ['/usr/bin/node', 'worker.js'], 'nodejs');
  const sleeper = proc(220, 200, '/usr/bin/sleep', ['sleep', '100']);
  const all = tree(postmaster, backend, archiver, shell, nodeApp, nodeWorker, sleeper);

  it('puts a server and its children (same program, or helpers it runs) in one application', () => {
    expect(hostAppId(postmaster, all)).toBe('/host/postgres');
    expect(hostAppId(backend, all)).toBe('/host/postgres');
    expect(hostAppId(archiver, all)).toBe('/host/postgres');
    expect(hostAppId(nodeWorker, all)).toBe('/host/node');
  });

  it('gives a process started by an unrecognised parent (a shell) its own application', () => {
    expect(hostAppId(shell, all)).toBe('/host/bash');
    expect(hostAppId(nodeApp, all)).toBe('/host/node');
    expect(hostAppId(sleeper, all)).toBe('/host/sleep');
  });

  it('stops at a parent in a container, at init, and at a parent that is gone', () => {
    const containerParent = proc(
      300,
      1,
      '/usr/bin/containerd-shim',
      ['containerd-shim'],
      undefined,
      'docker',
    );
    const child = proc(301, 300, pg, [pg], 'postgres');
    expect(hostAppId(child, tree(containerParent, child))).toBe('/host/postgres');
    expect(hostAppId(proc(400, 399, '/usr/bin/redis-server', ['redis-server *:6379'], 'redis'), tree())).toBe(
      '/host/redis-server',
    );
  });

  it('names a program by argv[0], then its executable, then comm, with unsafe characters replaced', () => {
    // Debian's redis-server is a link to redis-check-rdb: the name it was started by is the one people know.
    expect(
      programName({
        exe: '/usr/bin/redis-check-rdb',
        cmdline: ['redis-server 127.0.0.1:6379'],
        comm: 'redis-server',
      }),
    ).toBe('redis-server');
    expect(programName({ exe: '/usr/sbin/mariadbd (deleted)', cmdline: [''], comm: 'x' })).toBe('mariadbd');
    expect(programName({ exe: undefined, cmdline: ['/opt/app/bin/my app:worker'], comm: 'x' })).toBe('my');
    expect(programName({ exe: undefined, cmdline: [], comm: 'kworker/0:1' })).toBe('kworker_0_1');
  });
});
