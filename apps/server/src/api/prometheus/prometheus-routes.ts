import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse, toPrometheusData, type Expr } from '@vigil/promql';
import type { LabelMatcher } from '@vigil/protocols';
import type { ReadAuth } from '../../auth/read-auth.ts';
import type { MetricsQueryService } from '../../metrics/query-service.ts';
import { collectParams, first, parseDurationParam, timeParam, timeRange, type Params } from './params.ts';
import { PromApiError, promError } from './prom-errors.ts';

export interface PrometheusRouteDeps {
  auth: ReadAuth;
  metrics: (projectId: string) => Promise<MetricsQueryService>;
  defaultProject: string;
  /** Longest a query may run; a smaller `timeout` parameter wins (Prometheus: 2m). */
  maxQueryTimeoutMs: number;
  version: string;
}

/** The part of Prometheus's buildinfo Grafana reads to pick its feature set. */
const PROMETHEUS_COMPAT_VERSION = '2.42.0';

function matchSets(p: Params, required: boolean): LabelMatcher[][] {
  const texts = p.get('match[]') ?? [];
  if (texts.length === 0 && required) throw new PromApiError('bad_data', 'no match[] parameter provided');
  return texts.map((text) => {
    let expr: Expr;
    try {
      expr = parse(text);
    } catch (e) {
      throw new PromApiError('bad_data', `invalid parameter "match[]": ${(e as Error).message}`);
    }
    if (expr.type !== 'vectorSelector') {
      throw new PromApiError('bad_data', `invalid parameter "match[]": "${text}" is not a series selector`);
    }
    return [...expr.matchers];
  });
}

/**
 * Prometheus's HTTP query API on :8080 — `/api/v1/query`, `query_range`, `series`, `labels`,
 * `label/<name>/values`, `metadata`, `status/buildinfo` — with Prometheus's parameters, response
 * shapes and error types, so Grafana's Prometheus data source works against Vigil. Read access
 * as for the rest of the API: a session, a read token or the anonymous role.
 */
export async function prometheusRoutes(app: FastifyInstance, deps: PrometheusRouteDeps): Promise<void> {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_req, body, done) => done(null, new URLSearchParams(body as string)),
  );
  app.setErrorHandler((err, _req, reply) => {
    const e = promError(err);
    return reply.code(e.status).send({ status: 'error', errorType: e.type, error: e.message });
  });

  const context = async (req: FastifyRequest) => {
    const params = collectParams(req.url, req.body instanceof URLSearchParams ? req.body : undefined);
    const project = await deps.auth.readableProject(
      req.headers,
      first(params, 'project'),
      deps.defaultProject,
    );
    const timeoutText = first(params, 'timeout');
    const timeoutMs = Math.min(
      deps.maxQueryTimeoutMs,
      timeoutText === undefined ? Infinity : parseDurationParam(timeoutText, 'timeout'),
    );
    return { params, service: await deps.metrics(project), signal: AbortSignal.timeout(timeoutMs) };
  };
  const ok = (reply: FastifyReply, data: unknown) => reply.send({ status: 'success', data });

  const query = async (req: FastifyRequest, reply: FastifyReply) => {
    const { params, service, signal } = await context(req);
    const q = first(params, 'query');
    if (q === undefined)
      throw new PromApiError('bad_data', 'invalid parameter "query": query must not be empty');
    const timeMs = timeParam(params, 'time', Date.now());
    return ok(reply, toPrometheusData(await service.instantQuery(q, timeMs, { signal })));
  };

  const queryRange = async (req: FastifyRequest, reply: FastifyReply) => {
    const { params, service, signal } = await context(req);
    const q = first(params, 'query');
    const start = first(params, 'start');
    const end = first(params, 'end');
    const step = first(params, 'step');
    if (start === undefined) throw new PromApiError('bad_data', 'invalid parameter "start": missing');
    if (end === undefined) throw new PromApiError('bad_data', 'invalid parameter "end": missing');
    if (step === undefined) throw new PromApiError('bad_data', 'invalid parameter "step": missing');
    if (q === undefined)
      throw new PromApiError('bad_data', 'invalid parameter "query": query must not be empty');
    const startMs = timeParam(params, 'start', 0);
    const endMs = timeParam(params, 'end', 0);
    const stepMs = parseDurationParam(step, 'step');
    return ok(reply, toPrometheusData(await service.rangeQuery(q, startMs, endMs, stepMs, { signal })));
  };

  const series = async (req: FastifyRequest, reply: FastifyReply) => {
    const { params, service, signal } = await context(req);
    const sets = matchSets(params, true);
    const { startMs, endMs } = timeRange(params);
    const found = await service.series(sets, startMs, endMs, { signal });
    return ok(
      reply,
      found.map((labels) => Object.fromEntries(labels.map((l) => [l.name, l.value]))),
    );
  };

  const labels = async (req: FastifyRequest, reply: FastifyReply) => {
    const { params, service, signal } = await context(req);
    const { startMs, endMs } = timeRange(params);
    return ok(reply, await service.labelNames(matchSets(params, false), startMs, endMs, { signal }));
  };

  app.get('/api/v1/query', query);
  app.post('/api/v1/query', query);
  app.get('/api/v1/query_range', queryRange);
  app.post('/api/v1/query_range', queryRange);
  app.get('/api/v1/series', series);
  app.post('/api/v1/series', series);
  app.get('/api/v1/labels', labels);
  app.post('/api/v1/labels', labels);

  app.get<{ Params: { name: string } }>('/api/v1/label/:name/values', async (req, reply) => {
    const { params, service, signal } = await context(req);
    const name = req.params.name;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
      throw new PromApiError('bad_data', `invalid label name: "${name}"`);
    }
    const { startMs, endMs } = timeRange(params);
    return ok(reply, await service.labelValues(name, matchSets(params, false), startMs, endMs, { signal }));
  });

  app.get('/api/v1/metadata', async (req, reply) => {
    const { params, service, signal } = await context(req);
    const limitText = first(params, 'limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && !Number.isInteger(limit)) {
      throw new PromApiError('bad_data', 'limit must be a number');
    }
    const all = await service.metadata(first(params, 'metric'), { signal });
    const entries = Object.entries(all);
    return ok(
      reply,
      Object.fromEntries(limit !== undefined && limit >= 0 ? entries.slice(0, limit) : entries),
    );
  });

  // Grafana asks for these; Vigil has no exemplars, recording or alerting rules of Prometheus's kind.
  app.get('/api/v1/query_exemplars', async (req, reply) => {
    await context(req);
    return ok(reply, []);
  });
  app.get('/api/v1/rules', async (req, reply) => {
    await context(req);
    return ok(reply, { groups: [] });
  });
  app.get('/api/v1/alerts', async (req, reply) => {
    await context(req);
    return ok(reply, { alerts: [] });
  });

  app.get('/api/v1/status/buildinfo', async (req, reply) => {
    await deps.auth.require(req.headers, 'Viewer');
    return ok(reply, {
      version: PROMETHEUS_COMPAT_VERSION,
      revision: `vigil-${deps.version}`,
      branch: 'vigil',
      buildUser: 'vigil',
      buildDate: '',
      goVersion: '',
    });
  });
}
