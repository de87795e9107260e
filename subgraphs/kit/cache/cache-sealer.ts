import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Logger } from '../../../lib/observability/logger.ts';
import { type CacheKey, ephemeralCacheKey } from './cache-key.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** 128 bits of HMAC: collisions are out of reach, and the key stays short (22 characters). */
const NAME_BYTES = 16;

/**
 * What keeps a cached lookup unreadable outside the subgraph: values sealed with AES-256-GCM (a
 * random IV each, the key id and the entry's Redis key as associated data, so a value copied under
 * another key fails to open), and identifiers replaced in key names by a keyed hash, so a reader of
 * Redis can neither read a record nor test whether a given VIN or document number was looked up.
 * Both subkeys are derived from one secret with HKDF, so a value key never doubles as a MAC key.
 */
export class CacheSealer {
  private static shared: CacheSealer | undefined;
  private readonly valueKey: Buffer;
  private readonly nameKey: Buffer;
  private warned = false;

  constructor(
    private readonly key: CacheKey,
    private readonly log?: Logger,
  ) {
    this.valueKey = Buffer.from(hkdfSync('sha256', key.secret, Buffer.alloc(0), 'liaison lookup cache: values', 32));
    this.nameKey = Buffer.from(hkdfSync('sha256', key.secret, Buffer.alloc(0), 'liaison lookup cache: key names', 32));
  }

  /** One sealer on this process's own key, for caches built in code without one. */
  static ephemeral(): CacheSealer {
    CacheSealer.shared ??= new CacheSealer(ephemeralCacheKey());
    return CacheSealer.shared;
  }

  get kid(): string {
    return this.key.kid;
  }

  /** The key-name segment for one lookup key of an entity: base64url of a truncated HMAC-SHA256. */
  name(subgraph: string, entity: string, lookupKey: string): string {
    return createHmac('sha256', this.nameKey)
      .update(`${subgraph}\0${entity}\0${lookupKey}`)
      .digest()
      .subarray(0, NAME_BYTES)
      .toString('base64url');
  }

  /** `plaintext` sealed for the entry `redisKey`: base64url of IV, ciphertext and tag. */
  seal(redisKey: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.valueKey, iv);
    cipher.setAAD(this.associatedData(redisKey));
    const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return sealed.toString('base64url');
  }

  /**
   * The plaintext of a sealed value, or null when it does not open for this key and entry: the caller
   * treats that as a miss. Logged once per process at warn, without the key or the value (the key's
   * hash would let a reader of the logs match it to a lookup), since one bad entry is a curiosity
   * and a stream of them is someone writing to Redis.
   */
  open(redisKey: string, value: string): string | null {
    const sealed = Buffer.from(value, 'base64url');
    try {
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv('aes-256-gcm', this.valueKey, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(this.associatedData(redisKey));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      if (!this.warned) {
        this.warned = true;
        this.log?.warn(
          'lookup cache: an entry did not decrypt (altered, or moved from another key); served as a miss, further ones not logged',
        );
      }
      return null;
    }
  }

  private associatedData(redisKey: string): Buffer {
    return Buffer.from(`${this.key.kid}\0${redisKey}`, 'utf8');
  }
}
