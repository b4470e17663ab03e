import { stdSerializers } from 'pino';

// Named like credentials wherever they appear: headers, options objects, request records.
const CREDENTIAL_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'token', 'password']);
// Query parameters carrying credentials, in URLs and in messages or stacks quoting them.
const CREDENTIAL_PARAM = /([?&](?:token|access_token|password)=)[^&#\s"']*/gi;

/**
 * A copy of `value` fit for the log, at any depth: properties named like credentials dropped,
 * credential query parameters blanked in strings, and errors serialized as pino does (type,
 * message and stack with their causes, own properties) and then cleaned the same way. Shared
 * or circular references after the first become "[Circular]".
 */
export function withoutCredentials(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return value.replace(CREDENTIAL_PARAM, '$1[redacted]');
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return withoutCredentials({ ...stdSerializers.err(value) }, seen);
  if (Array.isArray(value)) return value.map((item) => withoutCredentials(item, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    if (!CREDENTIAL_KEYS.has(key.toLowerCase())) copy[key] = withoutCredentials(item, seen);
  return copy;
}
