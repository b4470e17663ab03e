import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { InvalidInputError } from '../../core/errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing one is not a way to burn CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

// `Algorithm` is a const enum the package does not export at run time.
const ARGON2ID = 2 as Algorithm.Argon2id;
/** Argon2id with OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane. */
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** @throws InvalidInputError('password') unless a string of 12 to 1024 characters */
export function parsePassword(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError('password', 'is not a string');
  if (value.length < MIN_PASSWORD_LENGTH) throw new InvalidInputError('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (value.length > MAX_PASSWORD_LENGTH) throw new InvalidInputError('password', `must be at most ${MAX_PASSWORD_LENGTH} characters`);
  return value;
}

/**
 * The Argon2id PHC string of a password (salted, so two hashes of one password differ).
 * @throws InvalidInputError('password'), see parsePassword
 */
export function hashPassword(password: string): Promise<string> {
  return hash(parsePassword(password), OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Whether `password` matches `stored`. Without a stored hash (no such user, or a user without
 * a password) a dummy hash is checked instead and the answer is false, so the time taken does
 * not tell whether the user exists. A password of the wrong length never matches.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const usable = password.length >= MIN_PASSWORD_LENGTH && password.length <= MAX_PASSWORD_LENGTH;
  dummy ??= hash('not the password of anyone', OPTIONS);
  const against = stored ?? (await dummy);
  const matches = await verify(against, usable ? password : 'x'.repeat(MIN_PASSWORD_LENGTH)).catch(() => false);
  return matches && usable && stored !== null;
}
