import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A fresh secret: 256 random bits as 43 base64url characters. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether `value` is a secret as `newSecret` writes it. The last character carries 2 unused
 * bits; only the canonical spelling is accepted, so one secret has exactly one string.
 */
export function isSecret(value: string): boolean {
  return SECRET.test(value) && Buffer.from(value, 'base64url').toString('base64url') === value;
}

/**
 * sha256 hex of a secret, the form in which secrets are stored. Secrets are 256 random bits,
 * so a fast hash loses nothing against guessing, unlike passwords.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two sha256 hex digests in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.byteLength === 32 && right.byteLength === 32 && timingSafeEqual(left, right);
}
