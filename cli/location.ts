import { CliError } from './cli-error.ts';

/**
 * Where a command reads from: a ref inside a dataset, or a bare hash (a commit id or a
 * snapshot hash; the server tells which).
 */
export type Location =
  | { readonly kind: 'ref'; readonly dataset: string; readonly ref: string }
  | { readonly kind: 'hash'; readonly hash: string };

const SHA256 = /^[0-9a-f]{64}$/;
// The server's rule: long hex strings are meant as hashes, so a typo in one is reported as a
// malformed hash rather than as an unknown dataset or branch name.
const HASH_LIKE = /^[0-9a-fA-F]{32,}$/;

/**
 * Parses `dataset[@ref]` (ref defaults to `defaultRef`) or a bare 64-hex hash.
 * @throws CliError INVALID_HASH for hash-like text that is not a sha256 (wrong length or
 *   case), INVALID_INPUT for an empty dataset or ref, or a bare hash when `allowHash` is false
 */
export function parseLocation(text: string, options: { defaultRef?: string; allowHash?: boolean } = {}): Location {
  const at = text.indexOf('@');
  if (at < 0) {
    if (SHA256.test(text)) {
      if (options.allowHash === false)
        throw new CliError('INVALID_INPUT', `expected dataset[@ref], got a bare hash ${text}; name its dataset: <dataset>@${text}`);
      return { kind: 'hash', hash: text };
    }
    checkHashLike(text);
    if (text === '') throw new CliError('INVALID_INPUT', 'expected dataset[@ref], got an empty string');
    return { kind: 'ref', dataset: text, ref: options.defaultRef ?? 'main' };
  }
  const dataset = text.slice(0, at);
  const ref = text.slice(at + 1);
  if (!dataset || !ref) throw new CliError('INVALID_INPUT', `expected dataset@ref, got ${JSON.stringify(text)}`);
  checkHashLike(ref);
  return { kind: 'ref', dataset, ref };
}

/** The location as the API's `diff` takes it: `dataset@ref` or the bare hash. */
export function formatLocation(location: Location): string {
  return location.kind === 'hash' ? location.hash : `${location.dataset}@${location.ref}`;
}

function checkHashLike(text: string): void {
  if (HASH_LIKE.test(text) && !SHA256.test(text))
    throw new CliError(
      'INVALID_HASH',
      `${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} looks like a hash but is not 64 lowercase hex characters (got ${text.length})`,
    );
}
