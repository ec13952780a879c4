import { PromQLError } from '../errors.ts';

/**
 * Enforces the per-query limits while evaluating: the number of samples held in memory
 * (Prometheus's --query.max-samples, counted approximately the same way) and the deadline or
 * cancellation. Evaluation is synchronous, so it polls `check()` in its loops.
 */
export class QueryLimits {
  private samples = 0;
  private polls = 0;

  constructor(
    private readonly maxSamples: number,
    private readonly deadlineMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Accounts for `n` more samples in memory. */
  add(n: number): void {
    this.samples += n;
    if (this.samples > this.maxSamples) {
      throw new PromQLError(
        'execution',
        'query processing would load too many samples into memory in query execution',
      );
    }
  }

  release(n: number): void {
    this.samples -= n;
  }

  /** Samples currently accounted for. */
  get current(): number {
    return this.samples;
  }

  /**
   * After a node is evaluated, what its subtree loaded is released and only its result stays
   * in memory, as in Prometheus, where a node's inputs are freed once it has been computed.
   */
  settle(before: number, resultSamples: number): void {
    this.samples = before;
    this.add(resultSamples);
  }

  /** Throws when the query was cancelled or ran past its deadline. Cheap enough for loops. */
  check(where = 'expression evaluation'): void {
    if ((++this.polls & 0xff) !== 0 && this.polls > 1) return;
    this.checkNow(where);
  }

  checkNow(where = 'expression evaluation'): void {
    if (this.signal?.aborted === true) {
      throw new PromQLError('canceled', `query was canceled in ${where}`, { cause: this.signal.reason });
    }
    if (Date.now() > this.deadlineMs) throw new PromQLError('timeout', `query timed out in ${where}`);
  }
}
