import type { ParsedUrlQuery } from 'node:querystring';
import { InvalidInputError } from '../../core/errors.ts';

/**
 * The query parameters a route accepts, each given at most once. Anything else is refused
 * rather than ignored: a misspelt `?filtr=` must not quietly serve a whole snapshot.
 * @throws InvalidInputError('query')
 */
export function queryParams<K extends string>(query: ParsedUrlQuery, accepted: readonly K[]): Partial<Record<K, string>> {
  const params: Partial<Record<K, string>> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!(accepted as readonly string[]).includes(name))
      throw new InvalidInputError('query', `unknown parameter ${JSON.stringify(name.slice(0, 40))}; this route takes ${accepted.join(', ')}`);
    if (typeof value !== 'string') throw new InvalidInputError('query', `parameter ${name} is given more than once`);
    params[name as K] = value;
  }
  return params;
}
