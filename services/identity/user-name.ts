import { InvalidNameError } from '../../core/errors.ts';
import { isSha256 } from '../../core/ids.ts';

declare const brand: unique symbol;
/** A validated user name. */
export type UserName = string & { readonly [brand]: 'UserName' };

// The rules of project names (core/ids.ts), shorter: names show up as commit authors, in
// audit entries and in URLs.
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_USER_NAME = 64;

/** @throws InvalidNameError('user') unless 1-64 letters, digits, '.', '_', '-', starting with a letter or digit */
export function parseUserName(value: unknown): UserName {
  if (typeof value !== 'string') throw new InvalidNameError('user', value, 'is not a string');
  if (value.length === 0 || value.length > MAX_USER_NAME)
    throw new InvalidNameError('user', value, `must be 1-${MAX_USER_NAME} characters`);
  if (!USER_NAME.test(value))
    throw new InvalidNameError('user', value, "must start with a letter or digit and contain only letters, digits, '.', '_', '-'");
  if (value.includes('..') || value.endsWith('.')) throw new InvalidNameError('user', value, "must not contain '..' nor end with '.'");
  if (isSha256(value)) throw new InvalidNameError('user', value, 'must not look like a hash');
  return value as UserName;
}
