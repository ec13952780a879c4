import { silentLogger, type Logger } from '@vigil/core';
import type { ConfigDb } from '../configdb/index.ts';
import { loadSecretKey, SecretBox } from '../secrets/index.ts';
import { NotificationDispatcher, type NotificationDispatcherOptions } from './dispatcher.ts';
import { IntegrationService } from './integration-service.ts';

/** Options of {@link createNotifications}. */
export interface CreateNotificationsOptions {
  db: ConfigDb;
  /** Data directory: holds the generated `secret-key` when `secretKey` is not set. */
  dataDir: string;
  /** VIGIL_SECRET_KEY (32 bytes, hex or base64); a bad value throws at start-up. */
  secretKey?: string | undefined;
  logger?: Logger;
  /** Retry and timeout tuning; the defaults suit production. */
  dispatcher?: Omit<NotificationDispatcherOptions, 'integrations' | 'logger'>;
}

/** The notification components, wired: the API uses both, incident/deployment code the dispatcher. */
export interface Notifications {
  integrations: IntegrationService;
  dispatcher: NotificationDispatcher;
  /** The server's secret box, for other settings that hold secrets (database credentials). */
  secrets: SecretBox;
}

/** Loads the secret key (failing start-up on a malformed one) and builds the components. */
export function createNotifications(options: CreateNotificationsOptions): Notifications {
  const box = new SecretBox(loadSecretKey({ dataDir: options.dataDir, configured: options.secretKey }));
  const integrations = new IntegrationService(options.db, box);
  const logger = options.logger ?? silentLogger;
  const dispatcher = new NotificationDispatcher({ ...options.dispatcher, integrations, logger });
  return { integrations, dispatcher, secrets: box };
}
