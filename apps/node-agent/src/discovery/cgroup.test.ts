import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identifyCgroup } from './cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from './proc-cgroup.ts';

const ID = 'a3f4c1d2e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';
const UID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const UID_ = UID.replaceAll('-', '_');

describe('identifyCgroup', () => {
  it.each([
    ['/', { kind: 'host' }],
    ['/docker/' + ID, { kind: 'docker', runtimeId: ID }],
    ['/system.slice/docker-' + ID + '.scope', { kind: 'docker', runtimeId: ID }],
    ['/kubepods/burstable/pod' + UID + '/' + ID, { kind: 'cri', runtimeId: ID, podUid: UID }],
    ['/kubepods/pod' + UID + '/' + ID, { kind: 'cri', runtimeId: ID, podUid: UID }],
    [
      `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/cri-containerd-${ID}.scope`,
      { kind: 'containerd', runtimeId: ID, podUid: UID },
    ],
    [
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/crio-${ID}.scope`,
      { kind: 'crio', runtimeId: ID, podUid: UID },
    ],
    [
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/docker-${ID}.scope`,
      { kind: 'docker', runtimeId: ID, podUid: UID },
    ],
    [
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/crio-conmon-${ID}.scope`,
      { kind: 'pod', podUid: UID },
    ],
    [`/kubepods/besteffort/pod${UID}`, { kind: 'pod', podUid: UID }],
    [
      '/system.slice/postgresql@15-main.service',
      { kind: 'systemd', unit: '/system.slice/postgresql@15-main.service' },
    ],
    [
      '/system.slice/system-getty.slice/getty@tty1.service',
      { kind: 'systemd', unit: '/system.slice/system-getty.slice' },
    ],
    [
      '/system.slice/var-lib-docker\\x2dplugins.service',
      { kind: 'systemd', unit: '/system.slice/var-lib-docker-plugins.service' },
    ],
    ['/runtime.slice/containerd.service', { kind: 'systemd', unit: '/runtime.slice/containerd.service' }],
    ['/system.slice/run-r2c4f.scope', { kind: 'host' }],
    ['/user.slice/user-1000.slice/session-3.scope', { kind: 'host' }],
    ['/lxc/web01', { kind: 'lxc', runtimeId: 'web01' }],
    ['/lxc.payload.web01/system.slice/nginx.service', { kind: 'lxc', runtimeId: 'web01' }],
    ['/docker/not-an-id', { kind: 'host' }],
    ['/process_api/d3134548fa54673f66d31bc0db74e1e6', { kind: 'host' }],
  ])('%s', (path, expected) => {
    expect(identifyCgroup(path)).toEqual(expected);
  });
});

describe('parseProcCgroup and identifyingPath', () => {
  it('takes the v2 path on a v2 host', () => {
    const paths = parseProcCgroup(`0::/system.slice/docker-${ID}.scope\n`);
    expect(identifyingPath(paths)).toBe(`/system.slice/docker-${ID}.scope`);
  });

  it('takes a v1 path under /kubepods before a v2 one, and cpu before memory before name=systemd', () => {
    const hybrid = [
      `12:cpu,cpuacct:/kubepods/burstable/pod${UID}/${ID}`,
      `9:memory:/kubepods/burstable/pod${UID}/${ID}`,
      '1:name=systemd:/system.slice/containerd.service',
      '0::/system.slice/containerd.service',
    ].join('\n');
    expect(identifyingPath(parseProcCgroup(hybrid))).toBe(`/kubepods/burstable/pod${UID}/${ID}`);
    const v1 = ['4:memory:/docker/' + ID, '2:cpu,cpuacct:/docker/' + ID, '1:name=systemd:/docker/' + ID].join(
      '\n',
    );
    expect(identifyingPath(parseProcCgroup(v1))).toBe('/docker/' + ID);
    expect(identifyingPath(parseProcCgroup('1:name=systemd:/system.slice/cron.service\n'))).toBe(
      '/system.slice/cron.service',
    );
  });

  it('names no container for root paths, and normalises slashes', () => {
    const paths = parseProcCgroup(
      '1:name=systemd:/\n0::/init.scope\n3:cpu://docker//' + ID + '/\nnot a line\n',
    );
    expect(paths.has('name=systemd')).toBe(false);
    expect(paths.has('')).toBe(false);
    expect(identifyingPath(paths)).toBe('/docker/' + ID);
    expect(identifyingPath(parseProcCgroup(''))).toBe('/');
  });

  it('reads this machine’s real /proc/self/cgroup and /proc/1/cgroup', () => {
    for (const file of ['/proc/self/cgroup', '/proc/1/cgroup']) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n').filter((l) => l !== '');
      const paths = parseProcCgroup(text);
      // Every controller of every line with a non-root path is there, with that path.
      for (const line of lines) {
        const [, controllers, path] = line.split(/:(.*?):/) as [string, string, string];
        if (path === '/' || path === '/init.scope') continue;
        for (const c of controllers.split(',')) expect(paths.get(c), `${file}: ${line}`).toBe(path);
      }
      const identity = identifyCgroup(identifyingPath(paths));
      expect(['host', 'docker', 'containerd', 'crio', 'cri', 'lxc', 'systemd', 'pod']).toContain(
        identity.kind,
      );
    }
  });
});
