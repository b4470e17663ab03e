import { resolve } from 'node:path';

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** Blobs live in `<dataDir>/blobs`; the embedded database in `<dataDir>/db`. */
  readonly dataDir: string;
  /** PostgreSQL connection string; unset means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  readonly maxBlobBytes: number;
  /** Largest GraphQL request body. */
  readonly maxRequestBytes: number;
  readonly maxQueryDepth: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Serve the GraphiQL IDE at /graphql (on by default when NODE_ENV=development). */
  readonly graphiql: boolean;
  /** Requests per minute per credential (or per client IP before sign-in); 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Sign-in attempts per minute for one user name from one client IP. */
  readonly loginAttemptsPerMinute: number;
  /** Largest GraphQL query cost (objects and scalars, weighted by depth and `first`/`last`). */
  readonly maxQueryCost: number;
  /** Most aliased fields in one GraphQL operation. */
  readonly maxAliases: number;
  /** Most lexical tokens in one GraphQL document, counted while parsing. */
  readonly maxQueryTokens: number;
  /** How long a browser session lasts after sign-in. */
  readonly sessionTtlHours: number;
  /**
   * Mark cookies `Secure` and send Strict-Transport-Security. On by default unless the server
   * listens on a loopback address: browsers refuse Secure cookies over plain http except on
   * localhost, so a server reached over plain http on any other host must turn this off.
   */
  readonly secureCookies: boolean;
  /** Time a client has to send the request headers (slow-header attacks). */
  readonly headersTimeoutMs: number;
  /** Images whose header declares more pixels than this are refused before decoding. */
  readonly maxImagePixels: number;
  /** Jobs the server runs at once; 0 leaves them to `sheaf worker` processes (PostgreSQL only). */
  readonly workers: number;
  /**
   * Answer `POST /v1/projects/:project/blobs/paths` with blob file paths, so a CLI on the same
   * machine can hard-link exports (`sheaf export --link`). Off by default: single-machine only.
   */
  readonly exposeBlobPaths: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Reads the configuration from environment variables (and explicit overrides, e.g. CLI flags),
 * reporting every wrong value at once with what was expected.
 * @throws ConfigError
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!['0', '1', 'true', 'false'].includes(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected 1, 0, true or false`);
      return fallback;
    }
    return raw === '1' || raw === 'true';
  };
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL: expected a postgres:// or postgresql:// connection string');
  const logLevel = (env.SHEAF_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`SHEAF_LOG_LEVEL=${JSON.stringify(logLevel)}: expected one of ${LOG_LEVELS.join(', ')}`);
  // The Secure-cookie default follows the host actually listened on, overridden or not.
  const host = overrides.host ?? (env.SHEAF_HOST || '127.0.0.1');
  const config: Config = {
    host,
    port: integer('SHEAF_PORT', 4000, 0, 65535),
    dataDir: resolve(env.SHEAF_DATA_DIR || './.sheaf'),
    databaseUrl,
    maxBlobBytes: integer('SHEAF_MAX_BLOB_BYTES', 5 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    maxRequestBytes: integer('SHEAF_MAX_REQUEST_BYTES', 8 * 1024 * 1024, 1024, 1024 ** 3),
    maxQueryDepth: integer('SHEAF_MAX_QUERY_DEPTH', 12, 2, 100),
    logLevel,
    graphiql: flag('SHEAF_GRAPHIQL', env.NODE_ENV === 'development'),
    rateLimitPerMinute: integer('SHEAF_RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    loginAttemptsPerMinute: integer('SHEAF_LOGIN_ATTEMPTS_PER_MINUTE', 10, 1, 10_000),
    maxQueryCost: integer('SHEAF_MAX_QUERY_COST', 50_000, 1, 100_000_000),
    maxAliases: integer('SHEAF_MAX_ALIASES', 30, 1, 10_000),
    // Below about a hundred tokens even the client's own queries would be refused.
    maxQueryTokens: integer('SHEAF_MAX_QUERY_TOKENS', 5000, 100, 1_000_000),
    sessionTtlHours: integer('SHEAF_SESSION_TTL_HOURS', 12, 1, 24 * 366),
    secureCookies: flag('SHEAF_SECURE_COOKIES', !isLoopbackHost(host)),
    headersTimeoutMs: integer('SHEAF_HEADERS_TIMEOUT_MS', 30_000, 1000, 10 * 60_000),
    maxImagePixels: integer('SHEAF_MAX_IMAGE_PIXELS', 100_000_000, 1, Number.MAX_SAFE_INTEGER),
    workers: integer('SHEAF_WORKERS', 1, 0, 64),
    exposeBlobPaths: flag('SHEAF_EXPOSE_BLOB_PATHS', false),
    ...overrides,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
