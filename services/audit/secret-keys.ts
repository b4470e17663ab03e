import type { JsonValue } from '../../core/canonical-json.ts';

// Key names that would hold a secret: "password", "token", "secret" and anything ending in
// them ("accessToken", "client_secret"), compared without case or separators. Name an
// identifier "tokenId", never "token".
const SECRET_KEY = /(password|passphrase|token|secret)$/;

/**
 * A last guard before an audit entry is written: the log is append-only and read by auditors,
 * so a secret that slips into it can never be removed. Services must record ids and hashes
 * only; a key named like a secret, at any depth, is a programming error.
 * @throws Error (not a CoreError: the caller is at fault, not its client)
 */
export function assertNoSecretKeys(value: JsonValue | undefined, field: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) assertNoSecretKeys(item, field);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, '')))
      throw new Error(`audit ${field} must not hold secrets, but has a key named ${JSON.stringify(key)}`);
    assertNoSecretKeys(inner, field);
  }
}
