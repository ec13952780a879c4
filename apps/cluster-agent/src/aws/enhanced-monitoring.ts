/**
 * RDS Enhanced Monitoring: RDS writes one JSON document per interval to the CloudWatch Logs group
 * `RDSOSMetrics`, in a stream named after the instance's `DbiResourceId`. The newest one is read
 * with `GetLogEvents` (backwards, one event, not older than a few intervals: an instance whose
 * monitoring was switched off must not report its last minute forever) and parsed leniently —
 * the document's fields differ between engines (Aurora's `diskIO` has no device) and versions.
 */
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';

export const OS_METRICS_LOG_GROUP = 'RDSOSMetrics';

const n = z.number().optional().catch(undefined);
const text = z.string().optional().catch(undefined);
const list = <T extends z.ZodType>(item: T) => z.array(item).catch([]);

const osMetricsSchema = z.object({
  engine: text,
  instanceID: text,
  timestamp: text,
  numVCPUs: n,
  cpuUtilization: z
    .object({ guest: n, idle: n, irq: n, nice: n, steal: n, system: n, user: n, wait: n, total: n })
    .catch({}),
  loadAverageMinute: z.object({ one: n, five: n, fifteen: n }).catch({}),
  memory: z.object({ total: n, free: n, cached: n }).catch({}),
  fileSys: list(z.object({ mountPoint: text, name: text, total: n, used: n })),
  physicalDeviceIO: list(
    z.object({ device: text, readIOsPS: n, writeIOsPS: n, readKbPS: n, writeKbPS: n, await: n, util: n }),
  ),
  diskIO: list(
    z.object({
      device: text,
      readIOsPS: n,
      writeIOsPS: n,
      readKbPS: n,
      writeKbPS: n,
      await: n,
      util: n,
      readLatency: n,
      writeLatency: n,
    }),
  ),
  network: list(z.object({ interface: text, rx: n, tx: n })),
});

/** One Enhanced Monitoring document, the parts the series use (units as RDS writes them). */
export type OsMetrics = z.infer<typeof osMetricsSchema>;

/** The document in a log event's message; throws with the reason when it is not one. */
export function parseOsMetrics(message: string): OsMetrics {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch (err) {
    throw new Error(`Enhanced Monitoring event is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = osMetricsSchema.safeParse(json);
  if (!parsed.success) throw new Error('Enhanced Monitoring event is not an object');
  return parsed.data;
}

/**
 * The newest document of the stream `dbiResourceId`, not older than `lookbackMs`; undefined when
 * there is none (monitoring just switched on, or off). Throws on an API error.
 */
export async function latestOsMetrics(
  client: CloudWatchLogsClient,
  dbiResourceId: string,
  nowMs: number,
  lookbackMs: number,
): Promise<OsMetrics | undefined> {
  try {
    const answer = await client.send(
      new GetLogEventsCommand({
        logGroupName: OS_METRICS_LOG_GROUP,
        logStreamName: dbiResourceId,
        startTime: nowMs - lookbackMs,
        startFromHead: false,
        limit: 1,
      }),
    );
    const message = answer.events?.at(-1)?.message;
    return message === undefined ? undefined : parseOsMetrics(message);
  } catch (err) {
    // The stream appears with the first document, a minute or so after monitoring is enabled.
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}
