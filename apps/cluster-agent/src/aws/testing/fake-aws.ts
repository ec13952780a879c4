/**
 * A stand-in for the AWS APIs discovery calls, because AWS cannot be reached from here: one
 * HTTP server on 127.0.0.1 answering, in the services' own wire formats, from recorded answers in
 * ../testdata/:
 *
 * - RDS (AWS query protocol, `Version=2014-10-31`): `DescribeDBInstances`, `Marker` pages;
 * - ElastiCache (query, `Version=2015-02-02`): `DescribeCacheClusters`, `ListTagsForResource`;
 * - CloudWatch Logs (JSON 1.1, `X-Amz-Target: Logs_20140328.*`): `GetLogEvents` on `RDSOSMetrics`.
 *
 * Every request must be SigV4-signed with the fake's key pair (checked in full, testing/
 * sigv4-check.ts); otherwise it answers as AWS does (`InvalidClientTokenId`,
 * `SignatureDoesNotMatch`, `UnrecognizedClientException`…). `fail()` makes a service deny access.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature } from './sigv4-check.ts';

export type FakeService = 'rds' | 'elasticache' | 'logs';

export interface FakeAwsOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Instances or clusters per page (AWS: 100); 1 makes every item a page of its own. */
  readonly pageSize?: number;
  /** When the Enhanced Monitoring documents were written (default: now). */
  readonly eventTimeMs?: number;
}

export interface FakeRequest {
  readonly service: FakeService;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly region?: string;
}

export interface FakeAws {
  readonly url: string;
  /** Every request that reached the fake, signed or not, in order. */
  readonly requests: FakeRequest[];
  /** From now on `service` answers AccessDenied (undefined: it works again). */
  fail(service: FakeService, error: 'AccessDenied' | undefined): void;
  close(): Promise<void>;
}

const testdata = (name: string) => readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');
const ACCOUNT_USER = 'arn:aws:iam::123456789012:user/vigil-discovery';
const QUERY_VERSIONS: Readonly<Record<string, FakeService>> = {
  '2014-10-31': 'rds',
  '2015-02-02': 'elasticache',
};
const XMLNS: Readonly<Record<string, string>> = {
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  elasticache: 'http://elasticache.amazonaws.com/doc/2015-02-02/',
};

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const requests: FakeRequest[] = [];
  const failing = new Map<FakeService, 'AccessDenied'>();
  const rdsPages = new Pages(testdata('rds-describe-db-instances.xml'), 'DBInstance', options.pageSize);
  const cachePages = new Pages(
    testdata('elasticache-describe-cache-clusters.xml'),
    'CacheCluster',
    options.pageSize,
  );
  const cacheTags = JSON.parse(testdata('elasticache-tags.json')) as Record<
    string,
    { Key: string; Value: string }[]
  >;
  // RDS writes each document as one line.
  const osMetrics = new Map([
    ['db-7G3WJ4ZKQH5XUCJ2RNLPT6VYSM', JSON.stringify(JSON.parse(testdata('rds-os-metrics-shop-db.json')))],
  ]);

  const handle = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const json = typeof target === 'string';
    const params: Record<string, unknown> = json
      ? (JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const service: FakeService | undefined = json ? 'logs' : QUERY_VERSIONS[String(params.Version)];
    const action = json ? String(target).replace(/^Logs_20140328\./, '') : String(params.Action ?? '');
    const verdict = checkSignature(
      { method: req.method ?? '', url: req.url ?? '/', headers: req.headers },
      body,
      options,
    );
    requests.push({
      service: service ?? 'rds',
      action,
      params,
      ...(verdict.ok ? { region: verdict.region } : {}),
    });
    if (!service)
      return queryError(
        res,
        'rds',
        400,
        'InvalidParameterValue',
        `unknown Version ${String(params.Version)}`,
      );
    if (!verdict.ok) return authError(res, service, verdict.code);
    if (failing.has(service)) {
      const resource = service === 'logs' ? `log-group:${String(params.logGroupName)}` : '*';
      const message = `User: ${ACCOUNT_USER} is not authorized to perform: ${service}:${action} on resource: ${resource} because no identity-based policy allows the ${service}:${action} action`;
      return service === 'logs'
        ? jsonError(res, 400, 'AccessDeniedException', message)
        : queryError(res, service, 403, 'AccessDenied', message);
    }
    if (service === 'rds' && action === 'DescribeDBInstances')
      return xml(res, rdsPages.page(params.Marker as string | undefined));
    if (service === 'elasticache' && action === 'DescribeCacheClusters')
      return xml(res, cachePages.page(params.Marker as string | undefined));
    if (service === 'elasticache' && action === 'ListTagsForResource')
      return xml(res, tagsXml(cacheTags[String(params.ResourceName)] ?? []));
    if (service === 'logs' && action === 'GetLogEvents') {
      const message =
        params.logGroupName === 'RDSOSMetrics' ? osMetrics.get(String(params.logStreamName)) : undefined;
      if (message === undefined)
        return jsonError(res, 400, 'ResourceNotFoundException', 'The specified log stream does not exist.');
      const t = options.eventTimeMs ?? Date.now();
      const fresh = typeof params.startTime !== 'number' || t >= params.startTime;
      const token = `${t}0123456789012345678901234567890123456789012345678901`;
      return send(res, 200, 'application/x-amz-json-1.1', {
        events: fresh ? [{ timestamp: t, message, ingestionTime: t + 1_187 }] : [],
        nextForwardToken: `f/${token}/s`,
        nextBackwardToken: `b/${token}/s`,
      });
    }
    return json
      ? jsonError(res, 400, 'UnknownOperationException', '')
      : queryError(
          res,
          service,
          400,
          'InvalidAction',
          `The action ${action} is not valid for this web service.`,
        );
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    fail(service, error) {
      if (error) failing.set(service, error);
      else failing.delete(service);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A recorded list answer served page by page, `Marker` being the next item's index. */
class Pages {
  readonly #items: string[];
  readonly #head: string;
  readonly #tail: string;

  constructor(
    recorded: string,
    element: string,
    private readonly size = 100,
  ) {
    const list = new RegExp(`<${element}s>([\\s\\S]*)</${element}s>`).exec(recorded);
    if (!list) throw new Error(`recorded answer has no <${element}s>`);
    this.#items = list[1]!.match(new RegExp(`<${element}>[\\s\\S]*?</${element}>`, 'g')) ?? [];
    this.#head = recorded.slice(0, list.index) + `<${element}s>`;
    this.#tail = `</${element}s>` + recorded.slice(list.index + list[0].length);
  }

  page(marker: string | undefined): string {
    const from = marker ? Number(Buffer.from(marker, 'base64url').toString()) : 0;
    const to = from + this.size;
    const body = this.#head + this.#items.slice(from, to).join('') + this.#tail;
    if (to >= this.#items.length) return body;
    // The marker goes first in the Result element, as AWS writes it.
    const next = Buffer.from(String(to)).toString('base64url');
    return body.replace(/(<Describe\w+Result>)/, `$1<Marker>${next}</Marker>`);
  }
}

function tagsXml(tags: readonly { Key: string; Value: string }[]): string {
  const list = tags.map((t) => `<Tag><Key>${t.Key}</Key><Value>${t.Value}</Value></Tag>`).join('');
  return `<ListTagsForResourceResponse xmlns="${XMLNS.elasticache}"><ListTagsForResourceResult><TagList>${list}</TagList></ListTagsForResourceResult><ResponseMetadata><RequestId>0d6a4c1e-93b2-4f7e-a5d8-2c19e7b04f61</RequestId></ResponseMetadata></ListTagsForResourceResponse>`;
}

function authError(res: ServerResponse, service: FakeService, code: string): void {
  const invalidKey = code !== 'SignatureDoesNotMatch';
  if (service === 'logs')
    return invalidKey
      ? jsonError(
          res,
          400,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        )
      : jsonError(
          res,
          400,
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        );
  return invalidKey
    ? queryError(
        res,
        service,
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      )
    : queryError(
        res,
        service,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
}

function queryError(
  res: ServerResponse,
  service: FakeService,
  status: number,
  code: string,
  message: string,
): void {
  res.statusCode = status;
  xml(
    res,
    `<ErrorResponse xmlns="${XMLNS[service] ?? XMLNS.rds}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>5e3b8f20-1c4d-4a96-b7e2-9f0a6d3c8b51</RequestId></ErrorResponse>`,
  );
}

function jsonError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, 'application/x-amz-json-1.1', { __type: type, message });
}

function xml(res: ServerResponse, body: string): void {
  res.setHeader('x-amzn-requestid', '5e3b8f20-1c4d-4a96-b7e2-9f0a6d3c8b51');
  send(res, res.statusCode || 200, 'text/xml', body);
}

function send(res: ServerResponse, status: number, contentType: string, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
