/** Encryption of secrets at rest (integration tokens, passwords): AES-256-GCM with one server key. */
export { SecretBox } from './secret-box.ts';
export {
  loadSecretKey,
  parseSecretKey,
  SECRET_KEY_ENV,
  SECRET_KEY_FILE,
  type LoadSecretKeyOptions,
  type SecretKey,
} from './secret-key.ts';
