/**
 * Message counting for brokers without a request/answer pairing (l7-program.ts composes it in):
 * a client's write that publishes and a client's read that delivers a message count one message
 * each, per (pid, cgroup, broker address, comm), in the interval map.
 *
 * | broker            | produce (write)                         | consume (read)                          |
 * |-------------------|-----------------------------------------|-----------------------------------------|
 * | NATS              | `PUB ` / `HPUB`                         | `MSG ` / `HMSG`                         |
 * | RabbitMQ (AMQP 0-9-1) | method frame Basic.Publish (60, 40) | method frame Basic.Deliver (60, 60)     |
 *
 * One per syscall: several messages written or read at once count once. The `@agg` kind is
 * `30000 + broker·10 + method` (method 1 produce, 2 consume).
 */

import { le32, type ByEpoch } from './program-text.ts';

export const MESSAGE_KIND_BASE = 30_000;
export const MESSAGE_BROKERS = { 1: 'nats', 2: 'rabbitmq' } as const satisfies Record<number, string>;
export const MESSAGE_METHODS = { 1: 'produce', 2: 'consume' } as const satisfies Record<number, string>;

/** AMQP class 60 (basic) and a method id, as the little-endian u32 of frame bytes 7-10. */
const amqpMethod = (method: number): number => ((60 << 8) | (method << 24)) >>> 0;

/**
 * Statements for a write (`produce`) or a read (`consume`) of `len` bytes at `buf` (first four in
 * `$h`) that nothing else claimed: count it when it is a message of a known broker.
 */
export function countMessage(
  direction: 'produce' | 'consume',
  buf: string,
  len: string,
  byEpoch: ByEpoch,
  socketOfFd: readonly string[],
  indent: string,
): string[] {
  const [nats, natsHeaders, amqp] =
    direction === 'produce' ? ['PUB ', 'HPUB', amqpMethod(40)] : ['MSG ', 'HMSG', amqpMethod(60)];
  const method = direction === 'produce' ? 1 : 2;
  const key = '$pid, $cg, $addr, $port, $comm';
  return [
    '$broker = 0;',
    `if ($h == ${le32(nats)} || $h == ${le32(natsHeaders)}) { $broker = 1; }`,
    `else if (($h & 0xff) == 1 && ${len} >= 12 && *(uint32 *)uptr(${buf} + 7) == ${amqp}) { $broker = 2; }`,
    'if ($broker != 0) {',
    ...socketOfFd.map((l) => `  ${l}`),
    '  if ($sk != 0) {',
    '    $pid = (uint64)pid; $cg = cgroup; $comm = comm; $port = (uint64)bswap($sk->__sk_common.skc_dport);',
    `    $kind = (uint64)(${MESSAGE_KIND_BASE} + $broker * 10 + ${method});`,
    '    if ($sk->__sk_common.skc_family == 2) {',
    '      $addr = ntop($sk->__sk_common.skc_daddr);',
    ...byEpoch('      ', (n) => [`@agg${n}[$kind, ${key}] = sum(1);`]),
    '    } else {',
    '      $addr = ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8);',
    ...byEpoch('      ', (n) => [`@agg${n}[$kind, ${key}] = sum(1);`]),
    '    }',
    '  }',
    '}',
  ].map((l) => indent + l);
}
