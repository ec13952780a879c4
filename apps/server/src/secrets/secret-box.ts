import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@vigil/core';
import { SECRET_KEY_ENV, type SecretKey } from './secret-key.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM encryption of small secrets (tokens, passwords, webhook URLs) before they are
 * stored. A sealed value reads `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts):
 * - the key id lets a wrong key be reported as such instead of as corrupt data;
 * - `context` (e.g. project and integration) is bound as additional authenticated data, so a
 *   value copied into another row fails to open instead of leaking into the wrong integration.
 */
export class SecretBox {
  constructor(private readonly key: SecretKey) {}

  /** The id of the key in use; shown in errors about values sealed with another key. */
  get keyId(): string {
    return this.key.id;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return [VERSION, this.key.id, ...parts].join('.');
  }

  /** Decrypts a value made by {@link seal} with the same key and context; throws AppError otherwise. */
  open(sealed: string, context: string): string {
    const [version, keyId, iv, tag, ciphertext, extra] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || extra !== undefined) {
      throw new AppError('internal', `stored secret for ${context} is not a sealed value`, { expose: true });
    }
    if (keyId !== this.key.id) {
      throw new AppError(
        'internal',
        `the secrets of ${context} were encrypted with key ${keyId}, but the key in use ` +
          `(${this.key.origin}) is ${this.key.id}: set ${SECRET_KEY_ENV} to the key they were ` +
          'encrypted with, or enter the secrets again',
        { expose: true },
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key.bytes, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
      return plain.toString('utf8');
    } catch (err) {
      throw new AppError(
        'internal',
        `the stored secrets of ${context} failed authentication: they were altered or belong to another record`,
        { cause: err, expose: true },
      );
    }
  }
}
