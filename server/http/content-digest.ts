import { InvalidInputError } from '../../core/errors.ts';

// A Structured Fields dictionary member (RFC 8941): key, then optionally `=value` and
// `;parameters`. Digest values are byte sequences (`:base64:`), which never contain commas, so
// splitting the header on commas is exact for every member this server reads.
const MEMBER = /^([a-z*][a-z0-9_.*-]*)(?:=([^;]*))?(?:;.*)?$/;
const BYTE_SEQUENCE = /^:([A-Za-z0-9+/]*={0,2}):$/;

/**
 * The sha-256 digest a `Content-Digest` header (RFC 9530) claims, as 64 lowercase hex
 * characters, or undefined when it names only other algorithms (which RFC 9530 lets a recipient
 * ignore).
 * @throws InvalidInputError when the header is not a dictionary, or its `sha-256` member is not
 * a byte sequence of exactly 32 bytes in canonical base64.
 */
export function sha256FromContentDigest(header: string): string | undefined {
  let found: string | undefined;
  for (const raw of header.split(',')) {
    const member = MEMBER.exec(raw.trim());
    if (!member) throw new InvalidInputError('Content-Digest', `${JSON.stringify(raw.trim().slice(0, 80))} is not a dictionary member`);
    // A repeated key replaces the earlier one (RFC 8941 §4.2.2).
    if (member[1] === 'sha-256') found = member[2] ?? '';
  }
  if (found === undefined) return undefined;
  const base64 = BYTE_SEQUENCE.exec(found.trim())?.[1];
  const bytes = base64 === undefined ? undefined : Buffer.from(base64, 'base64');
  // Round-tripping rejects what Node's lenient decoder would accept: stray bits, short padding.
  if (!bytes || bytes.byteLength !== 32 || bytes.toString('base64') !== base64)
    throw new InvalidInputError('Content-Digest', 'sha-256 must be a byte sequence of 32 bytes, like sha-256=:<base64>:');
  return bytes.toString('hex');
}
