import { canConnect, serviceGate } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import { commandName, detectAppType } from './app-type.ts';
import { parseStat, readProcess, readProcesses, type ProcessInfo } from './process-info.ts';

describe('detectAppType', () => {
  it.each<[string[], string | undefined, string | undefined]>([
    [['/usr/lib/postgresql/15/bin/postgres', '-D', '/var/lib/postgresql/15/main'], undefined, 'postgres'],
    [['postgres: 15/main: checkpointer '], undefined, 'postgres'],
    [['/usr/sbin/mariadbd'], undefined, 'mysql'],
    [['/usr/sbin/mysqld', '--basedir=/usr'], undefined, 'mysql'],
    [['redis-server 127.0.0.1:6379'], undefined, 'redis'],
    [
      [
        '/usr/lib/erlang/erts-13.1.5/bin/beam.smp',
        '-W',
        'w',
        '--',
        '-root',
        '/usr/lib/erlang',
        '-s',
        'rabbit',
        'boot',
      ],
      undefined,
      'rabbitmq',
    ],
    [['/usr/sbin/nats-server', '-a', '127.0.0.1'], undefined, 'nats'],
    [['/usr/sbin/mosquitto', '-d'], undefined, 'mosquitto'],
    [['/usr/bin/java', '-cp', '/opt/kafka/libs/*', 'kafka.Kafka', 'server.properties'], undefined, 'kafka'],
    [['/usr/bin/java', '-jar', 'app.jar'], undefined, 'java'],
    [['/usr/bin/python3.11', 'manage.py', 'runserver'], undefined, 'python'],
    [['./server.js'], '/usr/bin/node', 'nodejs'],
    [['node', '--import', 'tsx', 'main.ts'], undefined, 'nodejs'],
    [['/usr/bin/memcached', '-p', '11211'], undefined, 'memcached'],
    [['nginx: worker process'], undefined, 'nginx'],
    [['/bin/bash', '-c', 'sleep 1'], '/usr/bin/bash', undefined],
    [['custom'], '/usr/lib/postgresql/15/bin/postgres (deleted)', 'postgres'],
  ])('%j (exe %s) → %s', (cmdline, exe, expected) => {
    expect(detectAppType(cmdline, exe)).toBe(expected);
  });

  it('takes the base name of argv[0] up to a space or colon', () => {
    expect(commandName('/usr/sbin/nginx: master process')).toBe('nginx');
    expect(commandName('postgres: walwriter')).toBe('postgres');
    expect(commandName('')).toBe('');
  });
});

describe('parseStat', () => {
  it('reads comm up to the last parenthesis and ppid after it', () => {
    expect(parseStat('4242 (weird) name)) S 17 4242 4242 0 -1 4194560')).toMatchObject({
      comm: 'weird) name)',
      ppid: 17,
    });
    expect(() => parseStat('garbage')).toThrow(/unreadable/);
  });

  it('reads CPU ticks (utime + stime), start time and rss by their proc(5) positions', () => {
    // A real line (cat's own), fields 14/15 = 3 and 2, 22 = 7040719, 24 = 226.
    const line =
      '9127 (cat) R 9057 9127 9057 0 -1 4194304 95 0 0 0 3 2 0 0 20 0 1 0 7040719 5677056 226 ' +
      '18446744073709551615 94 95 96 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 97 98 99 100 101 102 103 0';
    expect(parseStat(line)).toEqual({
      comm: 'cat',
      ppid: 9057,
      cpuTicks: 5,
      startTicks: 7040719,
      rssPages: 226,
    });
  });

  it('sees this process use CPU time and memory', async () => {
    const before = (await readProcess(process.pid))!;
    const until = Date.now() + 150;
    while (Date.now() < until) Math.sqrt(Math.random());
    const after = (await readProcess(process.pid))!;
    expect(after.cpuTicks).toBeGreaterThan(before.cpuTicks);
    expect(after.startTicks).toBe(before.startTicks);
    expect(after.rssPages * 4096).toBeGreaterThan(10e6);
  });
});

describe('readProcess on this machine', () => {
  it('reads its own process: parent, command line, cgroup identity and type', async () => {
    const self = await readProcess(process.pid);
    expect(self).toBeDefined();
    expect(self!.ppid).toBe(process.ppid);
    expect(self!.cmdline).toContain(process.argv[1]);
    expect(self!.appType).toBe('nodejs');
    expect(self!.exe).toBe(process.execPath);
    expect(await readProcess(2 ** 22 + 7)).toBeUndefined(); // no such pid
  });

  // The machine's services run as bare processes: each must be found with its type, outside
  // any container.
  const services: ReadonlyArray<readonly [type: string, port: number]> = [
    ['postgres', 5432],
    ['mysql', 3306],
    ['redis', 6379],
    ['rabbitmq', 5672],
    ['nats', 4222],
    ['mosquitto', 1883],
  ];
  let all: Promise<ProcessInfo[]> | undefined;
  const processes = (): Promise<ProcessInfo[]> => (all ??= readProcesses());
  for (const [type, port] of services) {
    it(`finds the ${type} server (listening on 127.0.0.1:${port}) as a ${type} process outside containers`, async () => {
      if (
        !serviceGate(
          `${type} on 127.0.0.1:${port}`,
          await canConnect('127.0.0.1', port),
          'start it as the README says',
        )
      ) {
        return;
      }
      const found = (await processes()).filter((p) => p.appType === type);
      expect(found.length, `no process detected as ${type}`).toBeGreaterThan(0);
      for (const p of found)
        expect(['host', 'systemd'], `${p.pid} ${p.cmdline.join(' ')}`).toContain(p.identity.kind);
    });
  }
});
