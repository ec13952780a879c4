/**
 * `ss` output parsing on output captured on this project's machine (`ss -tinHe state established
 * state listening`, while a process held connections to its own dual-stack listener, to Redis
 * on ::1 and to Postgres), the family built from it, and what happens without `ss`.
 */
import type { Logger } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { latencyFamily, parseSsOutput, SocketLatency } from './socket-latency.ts';

const SS_OUTPUT = [
  'LISTEN 0      244             127.0.0.1:5432             0.0.0.0:*     uid:101 ino:4403 sk:1003 cgroup:/ <->',
  '\t bbr cwnd:10',
  'LISTEN 0      511             127.0.0.1:6379             0.0.0.0:*     ino:4426 sk:1005 cgroup:/ <->',
  '\t bbr cwnd:10',
  'LISTEN 0      4096            127.0.0.1:4369             0.0.0.0:*     uid:106 ino:7217 sk:1002 cgroup:/ <->',
  '\t bbr cwnd:10',
  'ESTAB  0      0               127.0.0.1:4369           127.0.0.1:50606 uid:106 ino:6736 sk:1 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:204 rtt:0.01/0.004 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:6 bytes_acked:6 bytes_received:21 segs_out:2 segs_in:4 data_segs_out:1 data_segs_in:1 bbr:(bw:23831265624bps,mrtt:0.01,pacing_gain:2.88672,cwnd_gain:2.88672) send 288358400000bps lastsnd:1246340 lastrcv:1246340 lastack:1246340 pacing_rate 749168640000bps delivery_rate 23831272720bps delivered:2 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.01 snd_wnd:65536',
  'ESTAB  0      0               127.0.0.1:51804          127.0.0.1:44773 ino:86805 sk:3 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:200 rtt:0.027/0.013 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.027,pacing_gain:1,cwnd_gain:1) send 97010370370bps lastsnd:512 lastrcv:512 lastack:512 pacing_rate 277241207144bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.027 snd_wnd:65483',
  'ESTAB  0      0               127.0.0.1:35308          127.0.0.1:5432  ino:86807 sk:4 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:204 rtt:0.014/0.014 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:1 bytes_acked:2 segs_out:3 segs_in:2 data_segs_out:1 bbr:(bw:5041218744bps,mrtt:0.009,pacing_gain:2.88672,cwnd_gain:2.88672) send 205970285714bps lastsnd:208 lastrcv:508 lastack:208 pacing_rate 831723710664bps delivery_rate 5041230768bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.009 snd_wnd:65536',
  'ESTAB  0      0               127.0.0.1:50606          127.0.0.1:4369  uid:106 ino:7359 sk:2 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:204 rtt:0.019/0.008 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:21 bytes_acked:22 bytes_received:6 segs_out:4 segs_in:3 data_segs_out:1 data_segs_in:1 bbr:(bw:17476265624bps,mrtt:0.015,pacing_gain:2.88672,cwnd_gain:2.88672) send 151767578947bps lastsnd:1246340 lastrcv:1246340 lastack:1246340 pacing_rate 374275672024bps delivery_rate 17476266664bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.015 snd_wnd:65536',
  'ESTAB  0      0               127.0.0.1:5432           127.0.0.1:35308 timer:(keepalive,119min,0) uid:101 ino:87252 sk:5 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:200 rtt:0.008/0.004 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_received:1 segs_out:1 segs_in:3 data_segs_in:1 bbr:(bw:0bps,mrtt:0.008) send 327680000000bps lastsnd:508 lastrcv:208 lastack:208 pacing_rate 936460800000bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.008 snd_wnd:65536',
  'LISTEN 0      511                     *:44773                  *:*     ino:86804 sk:6 cgroup:/ v6only:0 <->',
  '\t bbr cwnd:10',
  'LISTEN 0      511                 [::1]:6379                [::]:*     ino:4427 sk:100a cgroup:/ v6only:1 <->',
  '\t bbr cwnd:10',
  'ESTAB  0      0                   [::1]:38800              [::1]:6379  ino:86806 sk:7 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:200 rtt:0.016/0.008 mss:32732 pmtu:65536 rcvmss:536 advmss:65464 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.016,pacing_gain:1,cwnd_gain:1) send 163660000000bps lastsnd:512 lastrcv:512 lastack:512 pacing_rate 467715986712bps delivered:1 app_limited rcv_space:65476 rcv_ssthresh:65476 minrtt:0.016 snd_wnd:65464',
  'ESTAB  0      0      [::ffff:127.0.0.1]:44773 [::ffff:127.0.0.1]:51804 ino:86808 sk:8 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:200 rtt:0.018/0.009 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.018) send 145635555556bps lastsnd:512 lastrcv:512 lastack:512 pacing_rate 416204775192bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.018 snd_wnd:65536',
  'ESTAB  0      0                   [::1]:6379               [::1]:38800 timer:(keepalive,4min59sec,0) ino:87250 sk:9 cgroup:/ <->',
  '\t ts sack bbr wscale:10,10 rto:200 rtt:0.04/0.02 mss:32768 pmtu:65536 rcvmss:536 advmss:65464 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.04) send 65536000000bps lastsnd:512 lastrcv:512 lastack:512 pacing_rate 187292160000bps delivered:1 app_limited rcv_space:65464 rcv_ssthresh:65464 minrtt:0.04 snd_wnd:65536',
  '',
].join('\n');

/** What the capture holds: the outbound sockets only (accepting sides are on listened ports). */
const OUTBOUND = [
  {
    inode: 86805,
    local: '127.0.0.1:51804',
    peer: '127.0.0.1:44773',
    peerIp: '127.0.0.1',
    srttSeconds: 0.027 / 1000,
  },
  {
    inode: 86807,
    local: '127.0.0.1:35308',
    peer: '127.0.0.1:5432',
    peerIp: '127.0.0.1',
    srttSeconds: 0.014 / 1000,
  },
  {
    inode: 7359,
    local: '127.0.0.1:50606',
    peer: '127.0.0.1:4369',
    peerIp: '127.0.0.1',
    srttSeconds: 0.019 / 1000,
  },
  { inode: 86806, local: '[::1]:38800', peer: '[::1]:6379', peerIp: '::1', srttSeconds: 0.016 / 1000 },
];

describe('parseSsOutput', () => {
  it('keeps outbound established sockets with their inode, peer IP and srtt in seconds', () => {
    expect(parseSsOutput(SS_OUTPUT)).toEqual(OUTBOUND);
  });

  it('reads the one-line form (`ss -O`) the same way', () => {
    const oneLine = SS_OUTPUT.replace(/\n\t/g, ' ');
    expect(parseSsOutput(oneLine)).toEqual(OUTBOUND);
  });

  it('leaves loopback peers out when asked (a container’s own namespace)', () => {
    expect(parseSsOutput(SS_OUTPUT, { loopback: false })).toEqual([]);
  });

  it.each([
    [
      'a v4-mapped peer, written as IPv4',
      'ESTAB 0 0 [::ffff:10.0.0.5]:40000 [::ffff:10.0.0.9]:5432 ino:11 sk:1 <->\n\t rtt:1.5/0.75',
      '10.0.0.9',
      0.0015,
    ],
    [
      'a zone on a link-local peer',
      'ESTAB 0 0 [fe80::1%eth0]:40000 [fe80::2%eth0]:22 ino:12 sk:1 <->\n\t rtt:0.2/0.1',
      'fe80::2',
      0.0002,
    ],
    [
      'an interface on an IPv4 local address',
      'ESTAB 0 0 10.0.0.5%eth0:40000 10.0.0.9:443 ino:13 sk:1 <->\n\t rtt:20.25/10',
      '10.0.0.9',
      0.02025,
    ],
    [
      'older ss: IPv6 without brackets',
      'ESTAB 0 0 2001:db8::5:40000 2001:db8::9:443 ino:14 sk:1 <->\n\t rtt:3/1',
      '2001:db8::9',
      0.003,
    ],
  ])('%s', (_name, text, peerIp, srttSeconds) => {
    expect(parseSsOutput(text)).toMatchObject([{ inode: expect.any(Number) as number, peerIp, srttSeconds }]);
  });

  it.each([
    ['no rtt yet', 'ESTAB 0 0 10.0.0.5:40000 10.0.0.9:443 ino:13 sk:1 <->\n\t ts sack cubic'],
    ['no inode (a socket of no process)', 'ESTAB 0 0 10.0.0.5:40000 10.0.0.9:443 sk:1 <->\n\t rtt:1/1'],
    [
      'a state other than established',
      'CLOSE-WAIT 1 0 10.0.0.5:40000 10.0.0.9:443 ino:13 sk:1 <->\n\t rtt:1/1',
    ],
  ])('skips a socket with %s', (_name, text) => {
    expect(parseSsOutput(text)).toEqual([]);
  });
});

describe('latencyFamily', () => {
  it('gives the median srtt per container and destination IP, and skips sockets of no known process', () => {
    const family = latencyFamily(
      [
        { inode: 1, local: '10.0.0.5:40001', peer: '10.0.0.9:443', peerIp: '10.0.0.9', srttSeconds: 0.001 },
        { inode: 2, local: '10.0.0.5:40002', peer: '10.0.0.9:443', peerIp: '10.0.0.9', srttSeconds: 0.009 },
        { inode: 3, local: '10.0.0.5:40003', peer: '10.0.0.9:443', peerIp: '10.0.0.9', srttSeconds: 0.002 },
        { inode: 4, local: '10.0.0.5:40004', peer: '10.0.0.7:443', peerIp: '10.0.0.7', srttSeconds: 0.004 },
        { inode: 5, local: '10.0.0.5:40005', peer: '10.0.0.7:443', peerIp: '10.0.0.7', srttSeconds: 0.006 },
        { inode: 6, local: '10.0.0.5:40006', peer: '10.0.0.9:443', peerIp: '10.0.0.9', srttSeconds: 0.5 },
        { inode: 99, local: '10.0.0.5:40009', peer: '10.0.0.1:443', peerIp: '10.0.0.1', srttSeconds: 1 },
      ],
      {
        inodeOwner: new Map([
          [1, 100],
          [2, 100],
          [3, 101],
          [4, 100],
          [5, 101],
          [6, 200],
        ]),
        containerOf: (pid) => (pid < 200 ? '/docker/api' : '/docker/worker'),
        labelsOf: (id) => ({ container_id: id, app_id: `${id}-app` }),
      },
    );
    expect(family.name).toBe('container_net_latency_seconds');
    expect(family.type).toBe('gauge');
    expect(family.samples).toEqual([
      {
        labels: { container_id: '/docker/api', app_id: '/docker/api-app', destination_ip: '10.0.0.9' },
        value: 0.002,
      },
      {
        labels: { container_id: '/docker/api', app_id: '/docker/api-app', destination_ip: '10.0.0.7' },
        value: 0.005,
      },
      {
        labels: { container_id: '/docker/worker', app_id: '/docker/worker-app', destination_ip: '10.0.0.9' },
        value: 0.5,
      },
    ]);
  });
});

describe('SocketLatency without ss', () => {
  it('returns nothing and says so once', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_obj, msg) => warnings.push(msg ?? ''),
      error: () => undefined,
      child: () => logger,
    };
    const latency = new SocketLatency({ ssPath: '/nonexistent/vigil/ss', logger });
    const options = { inodeOwner: new Map<number, number>(), containerOf: () => '/x', labelsOf: () => ({}) };
    expect((await latency.collect(options)).samples).toEqual([]);
    expect((await latency.collect(options)).samples).toEqual([]);
    expect(latency.unavailable).toMatch(/not found/);
    expect(warnings).toEqual(['container_net_latency_seconds is not collected']);
  });
});

describe('latencyFamily with connections the eBPF tracker follows', () => {
  it('takes the container of a followed connection by its addresses, without the socket owners', () => {
    const family = latencyFamily(
      [
        {
          inode: 7,
          local: '127.0.0.1:40000',
          peer: '127.0.0.1:5432',
          peerIp: '127.0.0.1',
          srttSeconds: 0.0001,
        },
        {
          inode: 8,
          local: '127.0.0.1:40001',
          peer: '127.0.0.1:5432',
          peerIp: '127.0.0.1',
          srttSeconds: 0.0003,
        },
      ],
      {
        inodeOwner: new Map([[8, 300]]),
        containerOf: () => '/host/by-owner',
        containerOfConnection: (local, peer) =>
          local === '127.0.0.1:40000' && peer === '127.0.0.1:5432' ? '/docker/followed' : undefined,
        labelsOf: (id) => ({ container_id: id, app_id: id }),
      },
    );
    expect(family.samples.map((x) => [x.labels.container_id, x.value])).toEqual([
      ['/docker/followed', 0.0001],
      ['/host/by-owner', 0.0003],
    ]);
  });
});
