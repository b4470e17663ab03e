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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL: expected a postgres:// or postgresql:// connection string');
  const logLevel = (env.SHEAF_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`SHEAF_LOG_LEVEL=${JSON.stringify(logLevel)}: expected one of ${LOG_LEVELS.join(', ')}`);
  const graphiqlRaw = env.SHEAF_GRAPHIQL;
  if (graphiqlRaw !== undefined && !['0', '1', 'true', 'false'].includes(graphiqlRaw))
    problems.push(`SHEAF_GRAPHIQL=${JSON.stringify(graphiqlRaw)}: expected 1, 0, true or false`);
  const config: Config = {
    host: env.SHEAF_HOST || '127.0.0.1',
    port: integer('SHEAF_PORT', 4000, 0, 65535),
    dataDir: resolve(env.SHEAF_DATA_DIR || './.sheaf'),
    databaseUrl,
    maxBlobBytes: integer('SHEAF_MAX_BLOB_BYTES', 5 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    maxRequestBytes: integer('SHEAF_MAX_REQUEST_BYTES', 8 * 1024 * 1024, 1024, 1024 ** 3),
    maxQueryDepth: integer('SHEAF_MAX_QUERY_DEPTH', 12, 2, 100),
    logLevel,
    graphiql: graphiqlRaw === undefined ? env.NODE_ENV === 'development' : graphiqlRaw === '1' || graphiqlRaw === 'true',
    ...overrides,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
