/**
 * Where the agent's shippers send (logs, spans, profiles): the server, its key, and the metrics
 * spool's directory, beside which each shipper keeps its own spool (`logs-spool`,
 * `traces-spool`, `profiles-spool`).
 */
import path from 'node:path';

export interface PushTarget {
  readonly collectorUrl: string;
  readonly apiKey?: string | undefined;
  /** The metrics spool's directory. */
  readonly spoolDir: string;
  readonly spoolMaxBytes?: number;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** The directory of a shipper's spool: `name` beside the metrics spool. */
export function spoolBeside(target: PushTarget, name: string): string {
  return path.join(path.dirname(target.spoolDir), name);
}

/** The headers of an agent's request: body type (and gzip), who sends, the ingestion key if any. */
export function shipperHeaders(
  contentType: string,
  options: {
    readonly version: string;
    readonly apiKey?: string | undefined;
    readonly gzip?: boolean;
    /** `User-Agent: <agentName>/<version>` (default `vigil-node-agent`). */
    readonly agentName?: string | undefined;
  },
): Record<string, string> {
  return {
    'Content-Type': contentType,
    ...(options.gzip === true ? { 'Content-Encoding': 'gzip' } : {}),
    'User-Agent': `${options.agentName ?? 'vigil-node-agent'}/${options.version}`,
    ...(options.apiKey === undefined || options.apiKey === '' ? {} : { 'X-API-Key': options.apiKey }),
  };
}
