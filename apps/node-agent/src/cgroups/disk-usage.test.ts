/**
 * Disk I/O parsing on files captured on this project's machine (a v1 blkio group after direct
 * and fsync'd writes; a Docker container's mountinfo), v2 `io.stat` as the kernel documents it,
 * and the whole read over a recorded cgroup/sysfs/procfs tree written to a temporary directory
 * (a disk with a partition, which this machine has none of).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  diskFamilies,
  parseBlkioThrottle,
  parseIoStat,
  parseMountInfo,
  readContainerDiskIo,
  readThreadBlkioDelays,
} from './disk-usage.ts';

/** `blkio.throttle.io_service_bytes` and `_serviced` of a group after 8 MiB direct + 8 MiB fsync'd writes and 8 MiB direct reads. */
const V1_BYTES = [
  '254:0 Read 8388608',
  '254:0 Write 16785408',
  '254:0 Sync 25174016',
  '254:0 Async 0',
  '254:0 Discard 0',
  '254:0 Total 25174016',
  'Total 25174016',
].join('\n');
const V1_SERVICED = [
  '254:0 Read 8',
  '254:0 Write 13',
  '254:0 Sync 21',
  '254:0 Async 0',
  '254:0 Discard 0',
  '254:0 Total 21',
  'Total 21',
].join('\n');

/** A Docker container's mountinfo on this machine (a volume at /data, Docker's file binds). */
const DOCKER_MOUNTINFO = [
  '424 340 0:149 / / rw,relatime master:13 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/6FZALDATUZVD57UICPWVKW4CHK,upperdir=/var/lib/docker/overlay2/08f5/diff,workdir=/var/lib/docker/overlay2/08f5/work',
  '425 424 0:152 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
  '426 424 0:153 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
  '436 429 0:35 /docker/a15fe3c7d5dd /sys/fs/cgroup/blkio ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,blkio',
  '482 424 254:0 /var/tmp/vigil-fixture-vol /data rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534',
  '483 424 254:0 /var/lib/docker/containers/a15fe3c7d5dd/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw,discard',
  '484 424 254:0 /var/lib/docker/containers/a15fe3c7d5dd/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw,discard',
  '485 424 254:0 /var/lib/docker/containers/a15fe3c7d5dd/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw,discard',
].join('\n');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'vigil-disk-'));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    if (file.endsWith('/')) mkdirSync(path.join(root, file), { recursive: true });
    else writeFileSync(path.join(root, file), text);
  }
  for (const [link, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
    symlinkSync(target, path.join(root, link));
  }
  return root;
}

describe('parseBlkioThrottle', () => {
  it('takes Read and Write per device from the bytes and serviced files', () => {
    expect(parseBlkioThrottle(V1_BYTES, V1_SERVICED)).toEqual(
      new Map([['254:0', { reads: 8, readBytes: 8388608, writes: 13, writtenBytes: 16785408 }]]),
    );
  });

  it('gives nothing for a group whose counters are off (only `Total 0`)', () => {
    expect(parseBlkioThrottle('Total 0\n', 'Total 0\n')).toEqual(new Map());
  });
});

describe('parseIoStat', () => {
  it('takes rbytes, wbytes, rios and wios per device', () => {
    const text = [
      '8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0',
      '8:0 rbytes=90430464 wbytes=299008000 rios=8950 wios=1252 dbytes=50331648 dios=3021',
      '',
    ].join('\n');
    expect(parseIoStat(text)).toEqual(
      new Map([
        ['8:16', { reads: 192, readBytes: 1459200, writes: 353, writtenBytes: 314773504 }],
        ['8:0', { reads: 8950, readBytes: 90430464, writes: 1252, writtenBytes: 299008000 }],
      ]),
    );
  });
});

describe('parseMountInfo', () => {
  it('reads device, root and mount point, decoding octal escapes', () => {
    const mounts = parseMountInfo(
      `${DOCKER_MOUNTINFO}\n500 424 8:1 / /mnt/my\\040disk rw - ext4 /dev/sda1 rw`,
    );
    expect(mounts).toContainEqual({
      majorMinor: '254:0',
      root: '/var/tmp/vigil-fixture-vol',
      mountPoint: '/data',
    });
    expect(mounts).toContainEqual({ majorMinor: '8:1', root: '/', mountPoint: '/mnt/my disk' });
    expect(mounts).toHaveLength(9);
  });
});

describe('readContainerDiskIo over a recorded tree', () => {
  const group = '/docker/a15fe3c7d5dd';
  const pid = 4242;

  it('names the disk and picks the container’s directory mount of it, not Docker’s file binds', async () => {
    const root = tree(
      {
        [`cgroup/blkio${group}/blkio.throttle.io_service_bytes_recursive`]: V1_BYTES,
        [`cgroup/blkio${group}/blkio.throttle.io_serviced_recursive`]: V1_SERVICED,
        'sys/devices/virtio1/block/vda/uevent': 'MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n',
        'sys/devices/virtio1/block/vda/dev': '254:0\n',
        [`proc/${pid}/mountinfo`]: DOCKER_MOUNTINFO,
        [`proc/${pid}/root/data/`]: '',
        [`proc/${pid}/root/etc/hosts`]: '127.0.0.1 localhost\n',
        [`proc/${pid}/root/etc/hostname`]: 'a15fe3c7d5dd\n',
        [`proc/${pid}/root/etc/resolv.conf`]: 'nameserver 127.0.0.53\n',
      },
      { 'sys/dev/block/254:0': '../../devices/virtio1/block/vda' },
    );
    const io = await readContainerDiskIo(
      new Map([['blkio', group]]),
      { v1Root: path.join(root, 'cgroup'), v2Root: undefined },
      { pid, procRoot: path.join(root, 'proc'), sysRoot: path.join(root, 'sys') },
    );
    expect(io).toEqual([
      {
        majorMinor: '254:0',
        device: 'vda',
        mountPoint: '/data',
        reads: 8,
        readBytes: 8388608,
        writes: 13,
        writtenBytes: 16785408,
      },
    ]);
  });

  it('gives no mount point to a Docker container without volumes (its disk has only file binds)', async () => {
    const root = tree(
      {
        [`cgroup/blkio${group}/blkio.throttle.io_service_bytes`]: V1_BYTES,
        [`cgroup/blkio${group}/blkio.throttle.io_serviced`]: V1_SERVICED,
        'sys/devices/virtio1/block/vda/uevent': 'MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n',
        [`proc/${pid}/mountinfo`]: DOCKER_MOUNTINFO.split('\n')
          .filter((l) => !l.includes(' /data '))
          .join('\n'),
        [`proc/${pid}/root/etc/hosts`]: '127.0.0.1 localhost\n',
        [`proc/${pid}/root/etc/hostname`]: 'a15fe3c7d5dd\n',
        [`proc/${pid}/root/etc/resolv.conf`]: 'nameserver 127.0.0.53\n',
      },
      { 'sys/dev/block/254:0': '../../devices/virtio1/block/vda' },
    );
    const io = await readContainerDiskIo(
      new Map([['blkio', group]]),
      { v1Root: path.join(root, 'cgroup'), v2Root: undefined },
      { pid, procRoot: path.join(root, 'proc'), sysRoot: path.join(root, 'sys') },
    );
    // Read from the non-recursive files when the _recursive ones are missing.
    expect(io.map((d) => [d.device, d.mountPoint, d.writtenBytes])).toEqual([['vda', '', 16785408]]);
  });

  it('maps a mounted partition to its disk, prefers the v2 io.stat, and leaves idle disks out', async () => {
    const root = tree(
      {
        'cgroup/unified/system.slice/postgresql.service/io.stat':
          '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n7:0 rbytes=0 wbytes=0 rios=0 wios=0 dbytes=0 dios=0\n',
        // A v1 group too, with other figures: the v2 file wins.
        'cgroup/blkio/system.slice/postgresql.service/blkio.throttle.io_service_bytes':
          '8:0 Read 1\n8:0 Write 1\n',
        'sys/devices/pci/block/sda/uevent': 'MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n',
        'sys/devices/pci/block/sda/dev': '8:0\n',
        'sys/devices/pci/block/sda/sda1/uevent': 'MAJOR=8\nMINOR=1\nDEVNAME=sda1\nDEVTYPE=partition\n',
        'sys/devices/pci/block/sda/sda1/dev': '8:1\n',
        'sys/devices/pci/block/sda/sda1/partition': '1\n',
        [`proc/${pid}/mountinfo`]:
          '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n60 27 8:1 / /var/lib/postgresql rw,relatime - ext4 /dev/sda1 rw\n61 27 8:1 /backups /srv/backups rw,relatime - ext4 /dev/sda1 rw\n',
        [`proc/${pid}/root/var/lib/postgresql/`]: '',
        [`proc/${pid}/root/srv/backups/`]: '',
      },
      {
        'sys/dev/block/8:0': '../../devices/pci/block/sda',
        'sys/dev/block/8:1': '../../devices/pci/block/sda/sda1',
      },
    );
    const io = await readContainerDiskIo(
      new Map([
        ['', '/system.slice/postgresql.service'],
        ['blkio', '/system.slice/postgresql.service'],
      ]),
      { v1Root: path.join(root, 'cgroup'), v2Root: path.join(root, 'cgroup/unified') },
      { pid, procRoot: path.join(root, 'proc'), sysRoot: path.join(root, 'sys') },
    );
    expect(io).toEqual([
      {
        majorMinor: '8:0',
        device: 'sda',
        // The whole file system (root /) wins over the bind of its /backups directory.
        mountPoint: '/var/lib/postgresql',
        reads: 1,
        readBytes: 4096,
        writes: 2,
        writtenBytes: 8192,
      },
    ]);
  });

  it('gives an unknown device its major:minor and, without a pid, no mount point', async () => {
    const root = tree({ 'cgroup/unified/g/io.stat': '259:3 rbytes=512 wbytes=0 rios=1 wios=0\n' });
    const io = await readContainerDiskIo(
      new Map([['', '/g']]),
      { v1Root: path.join(root, 'cgroup'), v2Root: path.join(root, 'cgroup/unified') },
      { sysRoot: path.join(root, 'sys') },
    );
    expect(io).toEqual([
      {
        majorMinor: '259:3',
        device: '259:3',
        mountPoint: '',
        reads: 1,
        readBytes: 512,
        writes: 0,
        writtenBytes: 0,
      },
    ]);
  });

  it('reads nothing for a process in no group of its own', async () => {
    expect(await readContainerDiskIo(new Map(), { v1Root: '/sys/fs/cgroup', v2Root: undefined })).toEqual([]);
  });
});

describe('readThreadBlkioDelays', () => {
  it('takes field 42 of each thread’s stat in seconds, past a comm with spaces and parentheses', async () => {
    // A thread's stat on this machine; its blkio ticks set to 37 and its comm changed to one
    // that would trip a split on spaces.
    const real =
      '29695 (bash) S 29674 29695 29695 0 -1 4194560 12595 285679 0 91 2 9 1044 162 20 0 1 0 108322 5246976 983 18446744073709551615 93836135530496 93836136319901 140733180114944 0 0 0 65536 4 1132560123 1 0 0 17 1 0 0 0 0 0 93836136553200 93836136601444 93836500287488 140733180119932 140733180119947 140733180119947 140733180121066 0';
    const fields = real.slice(real.indexOf(') ') + 2).split(' ');
    fields[42 - 3] = '37';
    const root = tree({ 'proc/77/task/77/stat': `77 (a (b) c) ${fields.join(' ')}\n` });
    expect(await readThreadBlkioDelays([77], path.join(root, 'proc'))).toEqual(new Map([[77, 0.37]]));
  });
});

describe('diskFamilies', () => {
  it('labels each disk with mount_point, device and an empty volume; delay only when known', () => {
    const base = { container_id: '/docker/db', app_id: '/docker/db' };
    const families = diskFamilies([
      {
        labels: base,
        disks: [
          {
            majorMinor: '254:0',
            device: 'vda',
            mountPoint: '/data',
            reads: 1,
            readBytes: 2,
            writes: 3,
            writtenBytes: 4,
          },
        ],
        delaySeconds: 0.5,
      },
      { labels: { container_id: '/docker/web', app_id: '/docker/web' }, disks: [] },
    ]);
    const labels = { ...base, mount_point: '/data', device: 'vda', volume: '' };
    expect(families.map((f) => [f.name, f.samples])).toEqual([
      ['container_resources_disk_reads_total', [{ labels, value: 1 }]],
      ['container_resources_disk_read_bytes_total', [{ labels, value: 2 }]],
      ['container_resources_disk_writes_total', [{ labels, value: 3 }]],
      ['container_resources_disk_written_bytes_total', [{ labels, value: 4 }]],
      ['container_resources_disk_delay_seconds_total', [{ labels: base, value: 0.5 }]],
    ]);
  });
});
