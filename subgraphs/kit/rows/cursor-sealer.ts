import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { AuditKey } from '../audit/audit-key.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Longest plain cursor sealed: pagination.ts refuses longer ones anyway, and sort keys are ids and sequence numbers. */
export const MAX_PLAIN_CURSOR_BYTES = 200;
/** Longest sealed cursor: base64url of IV, the longest plain cursor and the tag. */
export const MAX_SEALED_CURSOR_CHARS = Math.ceil(((IV_BYTES + MAX_PLAIN_CURSOR_BYTES + TAG_BYTES) * 4) / 3);

/**
 * Makes a subgraph's pagination cursors opaque: a plain cursor (which names the last row's sort key, a
 * record id) is sealed with AES-256-GCM under a key only this subgraph derives, the subgraph's name as
 * associated data, so a partner reads nothing from it and cannot alter, shorten, invent or carry over
 * (from another subgraph, or another key) a cursor without {@link open} refusing it.
 *
 * The IV is synthetic (SIV style): an HMAC of the plain cursor under a second derived key, checked again
 * on opening. IVs then repeat only for the same plain cursor, which seals to the same text, so the key
 * never meets the random-IV limit of 2^32 seals however many pages it issues; equal cursors for equal
 * sort keys are the price, and say no more than the page's last node does.
 */
export class CursorSealer {
  readonly #encryptionKey: Buffer;
  readonly #ivKey: Buffer;
  readonly #associatedData: Buffer;

  /** `secret` is input key material of 32 or more random bytes; `subgraph` names the subgraph cursors belong to. */
  constructor(secret: Buffer, subgraph: string) {
    const derive = (purpose: string) =>
      Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `liaison pagination cursors: ${purpose}\0${subgraph}`, 32));
    this.#encryptionKey = derive('encryption');
    this.#ivKey = derive('iv');
    this.#associatedData = Buffer.from(`liaison cursor\0${subgraph}`, 'utf8');
  }

  /**
   * The sealer of `subgraph`, keyed from its audit key (HKDF, so the cursor keys are independent of the
   * audit MAC key): every subgraph has one, and production refuses to run without a real one.
   */
  static forSubgraph(auditKey: AuditKey, subgraph: string): CursorSealer {
    return new CursorSealer(auditKey.derive('pagination cursors'), subgraph);
  }

  /** `plain` sealed: base64url of IV, ciphertext and tag. */
  seal(plain: string): string {
    const text = Buffer.from(plain, 'utf8');
    if (text.length > MAX_PLAIN_CURSOR_BYTES) throw new Error(`a plain cursor is at most ${MAX_PLAIN_CURSOR_BYTES} bytes`);
    const iv = this.#ivOf(text);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    cipher.setAAD(this.#associatedData);
    return Buffer.concat([iv, cipher.update(text), cipher.final(), cipher.getAuthTag()]).toString('base64url');
  }

  /** The plain cursor `sealed` holds, or null unless this sealer sealed exactly that text. */
  open(sealed: string): string | null {
    if (sealed.length > MAX_SEALED_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(sealed)) return null;
    const bytes = Buffer.from(sealed, 'base64url');
    // Buffer decoding ignores the spare bits of the last character: only the one canonical spelling opens.
    if (bytes.length < IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== sealed) return null;
    const iv = bytes.subarray(0, IV_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, iv);
      decipher.setAAD(this.#associatedData);
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      return timingSafeEqual(iv, this.#ivOf(text)) ? text.toString('utf8') : null;
    } catch {
      return null;
    }
  }

  #ivOf(text: Buffer): Buffer {
    return createHmac('sha256', this.#ivKey).update(this.#associatedData).update(text).digest().subarray(0, IV_BYTES);
  }
}
