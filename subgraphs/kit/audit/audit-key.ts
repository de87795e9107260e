import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Fewest bytes of key material accepted: HMAC-SHA256 gains nothing beyond 32, and fewer weakens it. */
export const AUDIT_KEY_BYTES = 32;

/** What a MAC authenticates; part of the MAC's input, so an entry's MAC can never pass as a checkpoint's. */
export type MacPurpose = 'entry' | 'checkpoint';

/**
 * A subgraph's audit key: HMAC-SHA256 over audit entries and checkpoints. It lives in a file the
 * database never sees, so whoever can write the database cannot forge a MAC. The secret sits in a
 * private field: logging or serialising the key shows its id only.
 */
export class AuditKey {
  readonly #secret: Buffer;
  /** A fingerprint naming the key in checkpoints and messages; reveals nothing of the secret. */
  readonly id: string;

  private constructor(secret: Buffer) {
    this.#secret = secret;
    this.id = createHash('sha256').update('liaison audit key id\n').update(secret).digest('hex').slice(0, 16);
  }

  /** A fresh random key (tests; development keys are generated through the same path). */
  static generate(): AuditKey {
    return new AuditKey(randomBytes(AUDIT_KEY_BYTES));
  }

  /**
   * A key from a key file's text: hex (`openssl rand -hex 32`) or base64 (`openssl rand -base64 32`) of
   * at least 32 bytes; surrounding whitespace is ignored. Throws a plain Error saying what is wrong.
   */
  static parse(text: string): AuditKey {
    const value = text.trim();
    const bytes = /^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : decodeBase64(value);
    if (bytes.length < AUDIT_KEY_BYTES) throw new Error(`must hold at least ${AUDIT_KEY_BYTES} random bytes as hex or base64`);
    return new AuditKey(bytes);
  }

  /** The key as a key file holds it (hex), for the development key file. */
  toFileText(): string {
    return `${this.#secret.toString('hex')}\n`;
  }

  /** HMAC-SHA256 of `text` for `purpose`, hex. */
  mac(purpose: MacPurpose, text: string): string {
    return createHmac('sha256', this.#secret).update(`liaison audit ${purpose}\n`).update(text).digest('hex');
  }

  /**
   * A 32-byte key for another use, derived with HKDF-SHA256 under `info`: independent of the MAC key
   * and of every other `info`'s, so the one secret an operator keeps can key more than the trail.
   */
  derive(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#secret, Buffer.alloc(0), `liaison audit key derivation\n${info}`, 32));
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }
}

function decodeBase64(value: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return Buffer.alloc(0);
  return Buffer.from(value, 'base64');
}
