/**
 * Where the agent's database targets come from: the server (`GET /v1/config`, polled), targets
 * given in the environment (`VIGIL_CLUSTER_TARGETS`, the same JSON as the server's answer; for
 * a database the service map does not show), or both. The server's answer also carries the AWS
 * configuration (`aws_config`), which the polled source keeps for AWS discovery.
 */
import type { Logger } from '@vigil/core';
import type { AwsConfig } from '../aws/aws-config.ts';
import type { Target } from '../collectors/target.ts';
import { parseInstrumentationConfig } from './instrumentation-config.ts';

export interface TargetSource {
  /** The current targets: the last good answer while the server cannot be asked. */
  current(): Promise<readonly Target[]>;
}

/** The server's targets, and the AWS configuration that came with them. */
export interface ServerTargetSource extends TargetSource {
  /**
   * AWS discovery as the server's last good answer configured it; undefined: not configured (or
   * not usable, reported like a dropped entry), or the server not asked yet — it is asked by
   * `current()`.
   */
  awsConfig(): AwsConfig | undefined;
}

/** Targets written in the environment: parsed once, a bad entry stops the agent at start-up. */
export function staticTargets(json: string | undefined): Target[] {
  if (json === undefined || json.trim() === '') return [];
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch (err) {
    throw new Error(`VIGIL_CLUSTER_TARGETS is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const { targets, problems } = parseInstrumentationConfig(
    Array.isArray(body) ? { application_instrumentation: body } : body,
  );
  if (problems.length > 0) throw new Error(`VIGIL_CLUSTER_TARGETS: ${problems.join('; ')}`);
  return targets;
}

export interface ConfigPollOptions {
  readonly collectorUrl: string;
  readonly apiKey?: string | undefined;
  /** How long an answer is used before asking again (default 60 s). */
  readonly refreshMs?: number;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** Asks the server at most once per `refreshMs`; keeps the last good answer through failures. */
export function serverTargets(options: ConfigPollOptions, extra: readonly Target[] = []): ServerTargetSource {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 60_000;
  const url = `${options.collectorUrl.replace(/\/+$/, '')}/v1/config`;
  let known: Target[] = [];
  let aws: AwsConfig | undefined;
  let askedAt = -Infinity;
  let lastProblem = '';
  const report = (problem: string) => {
    if (problem !== lastProblem) options.logger.warn({ url }, `target configuration: ${problem}`);
    lastProblem = problem;
  };
  return {
    async current() {
      if (now() - askedAt >= refreshMs) {
        askedAt = now();
        try {
          const res = await doFetch(url, {
            headers: options.apiKey ? { 'x-api-key': options.apiKey } : {},
            signal: AbortSignal.timeout(10_000),
          });
          if (res.status !== 200)
            report(`the server answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
          else {
            const answer = parseInstrumentationConfig(await res.json());
            known = answer.targets;
            aws = answer.aws;
            if (answer.problems.length > 0) report(`entries dropped: ${answer.problems.join('; ')}`);
            else lastProblem = '';
          }
        } catch (err) {
          report(`could not ask the server: ${(err as Error).message}`);
        }
      }
      return [...known, ...extra];
    },
    awsConfig: () => aws,
  };
}
