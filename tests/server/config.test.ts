import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, isLoopbackHost, loadConfig } from '../../server/config.ts';

const test = suite('server config');

/** The ConfigError problems for `env`, joined; fails if loading succeeds. */
function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  assert.unreachable('expected a ConfigError');
  return '';
}

test('defaults: localhost:4000, embedded database under ./.sheaf, GraphiQL only in development', () => {
  const config = loadConfig({});
  assert.equal([config.host, config.port, config.databaseUrl, config.graphiql], ['127.0.0.1', 4000, undefined, false]);
  assert.ok(config.dataDir.endsWith('/.sheaf'));
  assert.ok(loadConfig({ NODE_ENV: 'development' }).graphiql);
  assert.not.ok(loadConfig({ NODE_ENV: 'development', SHEAF_GRAPHIQL: '0' }).graphiql);
});

test('limit defaults', () => {
  const config = loadConfig({});
  assert.equal(
    {
      rateLimitPerMinute: config.rateLimitPerMinute,
      loginAttemptsPerMinute: config.loginAttemptsPerMinute,
      maxQueryCost: config.maxQueryCost,
      maxAliases: config.maxAliases,
      maxQueryTokens: config.maxQueryTokens,
      sessionTtlHours: config.sessionTtlHours,
      headersTimeoutMs: config.headersTimeoutMs,
      maxImagePixels: config.maxImagePixels,
    },
    {
      rateLimitPerMinute: 1200,
      loginAttemptsPerMinute: 10,
      maxQueryCost: 50_000,
      maxAliases: 30,
      maxQueryTokens: 5000,
      sessionTtlHours: 12,
      headersTimeoutMs: 30_000,
      maxImagePixels: 100_000_000,
    },
  );
});

test('Secure cookies by default except on a loopback host, where browsers accept plain http', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
    assert.ok(isLoopbackHost(host), host);
    assert.not.ok(loadConfig({ SHEAF_HOST: host }).secureCookies, host);
  }
  for (const host of ['0.0.0.0', '::', '192.168.1.5', 'sheaf.example.com', 'localhost.example.com', '127.0.0.1.example.com']) {
    assert.not.ok(isLoopbackHost(host), host);
    assert.ok(loadConfig({ SHEAF_HOST: host }).secureCookies, host);
  }
  assert.ok(loadConfig({ SHEAF_SECURE_COOKIES: 'true' }).secureCookies);
  assert.ok(loadConfig({ SHEAF_SECURE_COOKIES: '1' }).secureCookies);
  assert.not.ok(loadConfig({ SHEAF_HOST: '0.0.0.0', SHEAF_SECURE_COOKIES: 'false' }).secureCookies);
  assert.not.ok(loadConfig({ SHEAF_HOST: '0.0.0.0', SHEAF_SECURE_COOKIES: '0' }).secureCookies);
  // The default follows an overridden host too.
  assert.ok(loadConfig({}, { host: '0.0.0.0' }).secureCookies);
  assert.not.ok(loadConfig({}, { host: '0.0.0.0', secureCookies: false }).secureCookies);
});

test('every wrong value is reported at once, each with what was expected', () => {
  const problems = problemsOf({
    SHEAF_PORT: 'eighty',
    DATABASE_URL: 'mysql://x',
    SHEAF_LOG_LEVEL: 'loud',
    SHEAF_MAX_BLOB_BYTES: '-1',
    SHEAF_GRAPHIQL: 'yes',
    SHEAF_MAX_QUERY_DEPTH: '1000',
  });
  for (const name of ['SHEAF_PORT', 'DATABASE_URL', 'SHEAF_LOG_LEVEL', 'SHEAF_MAX_BLOB_BYTES', 'SHEAF_GRAPHIQL', 'SHEAF_MAX_QUERY_DEPTH'])
    assert.match(problems, name);
  assert.match(problems, 'expected an integer from 0 to 65535');
  assert.match(problems, 'postgres://');
});

test('wrong limit values are reported with their range', () => {
  const wrong: NodeJS.ProcessEnv = {
    SHEAF_RATE_LIMIT_PER_MINUTE: '-1',
    SHEAF_LOGIN_ATTEMPTS_PER_MINUTE: '0',
    SHEAF_MAX_QUERY_COST: '1.5',
    SHEAF_MAX_ALIASES: 'many',
    SHEAF_MAX_QUERY_TOKENS: '10',
    SHEAF_SESSION_TTL_HOURS: '0',
    SHEAF_SECURE_COOKIES: 'yes',
    SHEAF_HEADERS_TIMEOUT_MS: '10',
    SHEAF_MAX_IMAGE_PIXELS: '0',
  };
  const problems = problemsOf(wrong).split('\n');
  for (const name of Object.keys(wrong)) assert.ok(problems.some((line) => line.startsWith(`${name}=`)), name);
  assert.ok(problems.includes('SHEAF_RATE_LIMIT_PER_MINUTE="-1": expected an integer from 0 to 1000000'));
  assert.ok(problems.includes('SHEAF_LOGIN_ATTEMPTS_PER_MINUTE="0": expected an integer from 1 to 10000'));
  assert.ok(problems.includes('SHEAF_SECURE_COOKIES="yes": expected 1, 0, true or false'));
});

test('valid values and explicit overrides are taken', () => {
  const config = loadConfig({ SHEAF_PORT: '8080', DATABASE_URL: 'postgresql://u@h/db', SHEAF_LOG_LEVEL: 'warn' }, { port: 0 });
  assert.equal([config.port, config.databaseUrl, config.logLevel], [0, 'postgresql://u@h/db', 'warn']);
  const limits = loadConfig({
    SHEAF_RATE_LIMIT_PER_MINUTE: '0',
    SHEAF_LOGIN_ATTEMPTS_PER_MINUTE: '3',
    SHEAF_MAX_QUERY_COST: '100',
    SHEAF_MAX_ALIASES: '5',
    SHEAF_MAX_QUERY_TOKENS: '800',
    SHEAF_SESSION_TTL_HOURS: '168',
    SHEAF_HEADERS_TIMEOUT_MS: '5000',
    SHEAF_MAX_IMAGE_PIXELS: '4000000',
  });
  assert.equal(
    [
      limits.rateLimitPerMinute,
      limits.loginAttemptsPerMinute,
      limits.maxQueryCost,
      limits.maxAliases,
      limits.maxQueryTokens,
      limits.sessionTtlHours,
      limits.headersTimeoutMs,
      limits.maxImagePixels,
    ],
    [0, 3, 100, 5, 800, 168, 5000, 4_000_000],
  );
});

test.run();
