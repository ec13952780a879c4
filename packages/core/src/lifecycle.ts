/**
 * Every long-lived component (servers, write buffers, connections) follows the same shape so the
 * composition root can start them in order and stop them in reverse order.
 */
export interface Component {
  readonly name: string;
  start?(): Promise<void>;
  /** Push out everything buffered; resolves when it is durable or has definitely failed. */
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}
