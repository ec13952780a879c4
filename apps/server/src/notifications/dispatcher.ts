import { errorMessage, silentLogger, type Component, type Logger } from '@vigil/core';
import { subscribes, testEvent, type NotificationEvent } from './event.ts';
import { httpSender, type HttpSend } from './http-client.ts';
import type { IntegrationService, SendTarget } from './integration-service.ts';
import { DEFAULT_RETRY_POLICY, withRetries, type DeliveryResult, type RetryPolicy } from './retry.ts';

/** Options of {@link NotificationDispatcher}. */
export interface NotificationDispatcherOptions {
  integrations: IntegrationService;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Timeout of one HTTP request to a receiver. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long {@link NotificationDispatcher.shutdown} lets deliveries in flight finish. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Events waiting per integration beyond which new ones are dropped (a receiver down for long). */
  maxQueuedPerIntegration?: number;
  now?: () => number;
  random?: () => number;
}

/** What happened to an event at one integration. */
export interface DeliveryReport {
  type: string;
  result: DeliveryResult;
}

interface Queue {
  tail: Promise<unknown>;
  waiting: number;
}

/**
 * Sends events to the project's integrations that subscribe to them, in the background.
 * Deliveries to one integration run one at a time in event order, so an incident's resolve
 * never overtakes its open (Slack replies in the open message's thread; PagerDuty ignores a
 * resolve for an alert it has not seen). Different integrations proceed independently, so a
 * receiver that is down delays only its own queue. Every delivery's final result is recorded
 * on the integration, where the API shows it.
 */
export class NotificationDispatcher implements Component {
  readonly name = 'notifications';
  private readonly logger: Logger;
  private readonly policy: RetryPolicy;
  private readonly abort = new AbortController();
  private readonly http: HttpSend;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly queues = new Map<string, Queue>();
  private closed = false;

  constructor(private readonly options: NotificationDispatcherOptions) {
    this.logger = options.logger ?? silentLogger;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.http = httpSender({ timeoutMs: options.requestTimeoutMs ?? 10_000, signal: this.abort.signal });
  }

  /** Queues `event` for every subscribed integration and returns at once; never throws. */
  notify(event: NotificationEvent): void {
    void this.deliver(event);
  }

  /** Like {@link notify}, resolving when every delivery has finished; never rejects. */
  deliver(event: NotificationEvent): Promise<DeliveryReport[]> {
    if (this.closed) {
      this.logger.warn({ project: event.project, kind: event.kind }, 'notification dropped: shutting down');
      return Promise.resolve([]);
    }
    return this.track(this.deliverAll(event));
  }

  /**
   * Sends a `test` event to one integration (enabled or not) once, without retries, so the
   * user learns at once what the receiver says. Throws `not_found` for a missing integration.
   */
  async sendTest(project: string, type: string): Promise<DeliveryResult> {
    const target = await this.options.integrations.targetOf(project, type);
    const event = testEvent(project, type, this.now());
    return this.track(this.send(target, event, { ...this.policy, maxAttempts: 1 }));
  }

  /** Resolves when every delivery started so far has finished (retries included). */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Stops taking events and waits for deliveries in flight up to the shutdown timeout; then
   * cancels what is left (requests and retry waits), recording it as failed.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    const timeoutMs = this.options.shutdownTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>(
      (resolve) => (timer = setTimeout(() => resolve('expired'), timeoutMs)),
    );
    const flushed = this.forceFlush();
    if ((await Promise.race([flushed, expired])) === 'expired') {
      this.logger.warn(
        { pending: this.inFlight.size, timeoutMs },
        'notifications: cancelling deliveries at shutdown',
      );
      this.abort.abort();
      await flushed;
    }
    clearTimeout(timer);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
    return promise;
  }

  private async deliverAll(event: NotificationEvent): Promise<DeliveryReport[]> {
    let targets: SendTarget[];
    try {
      targets = await this.options.integrations.targets(event.project);
    } catch (err) {
      this.logger.error(
        { err, project: event.project, kind: event.kind },
        'notifications: cannot read integrations',
      );
      return [];
    }
    const chosen = targets.filter((t) => t.enabled && subscribes(t, event.kind));
    return Promise.all(chosen.map(async (t) => ({ type: t.type, result: await this.enqueue(t, event) })));
  }

  private async enqueue(target: SendTarget, event: NotificationEvent): Promise<DeliveryResult> {
    const key = `${target.project}/${target.type}`;
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    const max = this.options.maxQueuedPerIntegration ?? 100;
    if (queue.waiting >= max) {
      const result: DeliveryResult = {
        ok: false,
        attempts: 0,
        error: `dropped: ${max} notifications were already waiting for this integration`,
      };
      await this.record(target, event, result);
      return result;
    }
    queue.waiting++;
    this.queues.set(key, queue);
    const run = queue.tail.then(() => this.send(target, event, this.policy));
    queue.tail = run;
    try {
      return await run;
    } finally {
      if (--queue.waiting === 0 && this.queues.get(key) === queue) this.queues.delete(key);
    }
  }

  /** One delivery with its retries; resolves (never rejects) once its result is recorded. */
  private async send(
    target: SendTarget,
    event: NotificationEvent,
    policy: RetryPolicy,
  ): Promise<DeliveryResult> {
    const ctx = {
      http: this.http,
      threads: this.options.integrations.threads(target.project, target.type),
      logger: this.logger,
    };
    const result: DeliveryResult =
      target.error !== undefined
        ? { ok: false, attempts: 0, error: target.error }
        : await withRetries(
            () => target.integration.send(target.config, event, ctx),
            policy,
            this.abort.signal,
            this.options.random,
          );
    await this.record(target, event, result);
    return result;
  }

  private async record(target: SendTarget, event: NotificationEvent, result: DeliveryResult): Promise<void> {
    const fields = {
      project: target.project,
      type: target.type,
      kind: event.kind,
      attempts: result.attempts,
    };
    if (result.ok) this.logger.debug(fields, 'notification delivered');
    else this.logger.warn({ ...fields, error: result.error }, 'notification not delivered');
    try {
      await this.options.integrations.recordDelivery(
        target.project,
        target.type,
        result.ok ? { ok: true, atMs: this.now() } : { ok: false, atMs: this.now(), error: result.error },
      );
    } catch (err) {
      this.logger.error({ ...fields, error: errorMessage(err) }, 'notifications: cannot record the delivery');
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
