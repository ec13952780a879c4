/**
 * Credentials for RDS instances the agent discovers, from `VIGIL_AWS_RDS_CREDENTIALS`: JSON that
 * maps an instance (`<region>/<identifier>`, or just `<identifier>`) or `*` (any instance) to
 * `{ "username": …, "password": … }`. The master password cannot be read through the AWS API, so
 * an RDS database becomes a target only when the operator says how to log in to it; in
 * Kubernetes the variable comes from a Secret.
 *
 *   VIGIL_AWS_RDS_CREDENTIALS='{"eu-west-1/shop-db": {"username": "vigil", "password": "…"},
 *                               "*": {"username": "monitor", "password": "…"}}'
 */
import { z } from 'zod';
import type { RdsCredentialsLookup } from './rds-targets.ts';

const schema = z.record(
  z.string().min(1),
  z.object({ username: z.string().min(1), password: z.string().optional() }).strict(),
);

/** The lookup for `VIGIL_AWS_RDS_CREDENTIALS`; nobody's credentials when unset. Throws on a bad value. */
export function rdsCredentialsFromEnv(value: string | undefined): RdsCredentialsLookup {
  if (value === undefined || value.trim() === '') return () => undefined;
  let body: unknown;
  try {
    body = JSON.parse(value);
  } catch (err) {
    throw new Error(`VIGIL_AWS_RDS_CREDENTIALS is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `VIGIL_AWS_RDS_CREDENTIALS: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'} ` +
        '(expected {"<region>/<id>" | "<id>" | "*": {"username": "…", "password": "…"}})',
    );
  }
  const byKey = parsed.data;
  return (rdsInstanceId) => {
    const identifier = rdsInstanceId.slice(rdsInstanceId.indexOf('/') + 1);
    const found = byKey[rdsInstanceId] ?? byKey[identifier] ?? byKey['*'];
    return found ? { ...found } : undefined;
  };
}
