import net from 'node:net';

/**
 * Whether tests must fail instead of skipping when a service (Postgres, Docker, root, eBPF…)
 * is missing. CI sets VIGIL_REQUIRE_SERVICES=1 so that a broken environment cannot pass green.
 */
export const servicesRequired = (): boolean => process.env.VIGIL_REQUIRE_SERVICES === '1';

/** Resolves true when something accepts TCP connections at host:port within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides whether a test suite that needs `what` can run. Returns true when available. When it
 * is missing, prints the reason and returns false (the caller skips), or throws when services are
 * required, so CI fails loudly instead of skipping.
 */
export function serviceGate(what: string, available: boolean, hint: string): boolean {
  if (available) return true;
  const reason = `${what} is not available (${hint})`;
  if (servicesRequired()) {
    throw new Error(`VIGIL_REQUIRE_SERVICES=1 but ${reason}`);
  }
  process.stdout.write(`[skip] ${reason}; set it up or unset the test to run it\n`);
  return false;
}

/** Postgres on this machine (trust auth). */
export const POSTGRES_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresAvailable(): Promise<boolean> {
  const url = new URL(POSTGRES_URL);
  return canConnect(url.hostname, Number(url.port || 5432));
}
