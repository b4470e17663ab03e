import { canonicalJson, type JsonValue } from '../../core/canonical-json.ts';
import { sha256Hex } from '../../core/hash.ts';

/** A long list recorded by its size and hash instead of in full. */
// A type, not an interface, so it fits where a JsonObject is expected (audit inputs).
export type Digest = {
  readonly count: number;
  /** sha256 hex of the list's canonical JSON (RFC 8785). */
  readonly sha256: string;
};

/**
 * How audit entries record long input lists (paths, hashes): whoever holds the list can
 * recompute the digest and match it against the log, which stays small.
 * @throws InvalidInputError when a value is not representable as JSON
 */
export function digestOf(values: readonly JsonValue[]): Digest {
  return { count: values.length, sha256: sha256Hex(canonicalJson(values, 'digested list')) };
}
