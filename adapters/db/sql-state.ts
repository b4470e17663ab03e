/** SQLSTATE codes Sheaf reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The SQLSTATE and constraint of a database error, from `pg` and PGlite alike (both copy the
 * server's error fields onto the thrown object); undefined fields for anything else.
 */
export function sqlErrorOf(error: unknown): { code: string | undefined; constraint: string | undefined } {
  if (typeof error !== 'object' || error === null) return { code: undefined, constraint: undefined };
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    constraint: typeof constraint === 'string' ? constraint : undefined,
  };
}
