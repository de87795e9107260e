import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditKey } from '../audit/audit-key.ts';
import { CursorSealer, MAX_PLAIN_CURSOR_BYTES, MAX_SEALED_CURSOR_CHARS } from './cursor-sealer.ts';
import { encodeCursor } from './pagination.ts';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const secret = randomBytes(32);
const sealer = new CursorSealer(secret, 'wanted-persons');
const plain = encodeCursor('W000000042');

/** Every way to read a text a partner might try. */
const readings = (text: string) => [
  text,
  Buffer.from(text, 'base64url').toString('latin1'),
  Buffer.from(text, 'base64').toString('latin1'),
];

describe('sealed pagination cursors', () => {
  it('open to the plain cursor they sealed, and the same plain cursor seals to the same text', () => {
    const sealed = sealer.seal(plain);
    expect(sealer.open(sealed)).toBe(plain);
    expect(sealer.seal(plain)).toBe(sealed);
    expect(new CursorSealer(secret, 'wanted-persons').open(sealed)).toBe(plain);
    expect(sealer.seal(encodeCursor('W000000043'))).not.toBe(sealed);
  });

  it('reveal neither the sort key nor the plain cursor in any decoding', () => {
    const sealed = sealer.seal(plain);
    for (const reading of readings(sealed)) {
      expect(reading).not.toContain('W000000042');
      expect(reading).not.toContain('000000042');
      expect(reading).not.toContain(plain);
      expect(reading).not.toContain('k:');
    }
  });

  it('are base64url, and bounded: the longest plain cursor seals within MAX_SEALED_CURSOR_CHARS', () => {
    const longest = 'k'.repeat(MAX_PLAIN_CURSOR_BYTES);
    const sealed = sealer.seal(longest);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed.length).toBeLessThanOrEqual(MAX_SEALED_CURSOR_CHARS);
    expect(sealer.open(sealed)).toBe(longest);
    expect(() => sealer.seal(`${longest}k`)).toThrow(/at most/);
    expect(sealer.open(`${sealed}${'A'.repeat(MAX_SEALED_CURSOR_CHARS)}`)).toBeNull();
  });

  it('refuse a cursor with any one character changed, spare bits of the last one included', () => {
    const sealed = sealer.seal(plain);
    for (let at = 0; at < sealed.length; at += 1) {
      for (const letter of BASE64URL) {
        if (letter === sealed[at]) continue;
        const changed = `${sealed.slice(0, at)}${letter}${sealed.slice(at + 1)}`;
        expect(sealer.open(changed), `${at}: ${letter}`).toBeNull();
      }
    }
  });

  it('refuse every truncation and every extension', () => {
    const sealed = sealer.seal(plain);
    for (let length = 0; length < sealed.length; length += 1) expect(sealer.open(sealed.slice(0, length)), `${length}`).toBeNull();
    for (const letter of BASE64URL) expect(sealer.open(`${sealed}${letter}`)).toBeNull();
  });

  it("refuse another subgraph's cursors and another key's", () => {
    const sealed = sealer.seal(plain);
    expect(new CursorSealer(secret, 'stolen-property').open(sealed)).toBeNull();
    expect(new CursorSealer(randomBytes(32), 'wanted-persons').open(sealed)).toBeNull();
  });

  it('refuse made-up cursors: the old plain form, random bytes, other alphabets, nothing', () => {
    const sealedLength = sealer.seal(plain).length;
    const madeUp = [
      plain,
      encodeCursor('W000000001'),
      randomBytes(44).toString('base64url'),
      'A'.repeat(sealedLength),
      `${sealer.seal(plain).slice(0, -2)}==`,
      Buffer.from(sealer.seal(plain), 'base64url').toString('base64'),
      'not-a-cursor!',
      '',
    ];
    for (const cursor of madeUp) expect(sealer.open(cursor), cursor).toBeNull();
  });

  it("take their key from the subgraph's audit key: the same key file opens them, another does not", () => {
    const auditKey = AuditKey.generate();
    const sealed = CursorSealer.forSubgraph(auditKey, 'case-status').seal(plain);
    expect(CursorSealer.forSubgraph(AuditKey.parse(auditKey.toFileText()), 'case-status').open(sealed)).toBe(plain);
    expect(CursorSealer.forSubgraph(AuditKey.generate(), 'case-status').open(sealed)).toBeNull();
    expect(CursorSealer.forSubgraph(auditKey, 'wanted-persons').open(sealed)).toBeNull();
  });
});
