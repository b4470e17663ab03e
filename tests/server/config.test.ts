import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../server/config.ts';

const test = suite('server config');

test('defaults: localhost:4000, embedded database under ./.sheaf, GraphiQL only in development', () => {
  const config = loadConfig({});
  assert.equal([config.host, config.port, config.databaseUrl, config.graphiql], ['127.0.0.1', 4000, undefined, false]);
  assert.ok(config.dataDir.endsWith('/.sheaf'));
  assert.ok(loadConfig({ NODE_ENV: 'development' }).graphiql);
  assert.not.ok(loadConfig({ NODE_ENV: 'development', SHEAF_GRAPHIQL: '0' }).graphiql);
});

test('every wrong value is reported at once, each with what was expected', () => {
  try {
    loadConfig({
      SHEAF_PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      SHEAF_LOG_LEVEL: 'loud',
      SHEAF_MAX_BLOB_BYTES: '-1',
      SHEAF_GRAPHIQL: 'yes',
      SHEAF_MAX_QUERY_DEPTH: '1000',
    });
    assert.unreachable('expected a ConfigError');
  } catch (error) {
    assert.instance(error, ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SHEAF_PORT', 'DATABASE_URL', 'SHEAF_LOG_LEVEL', 'SHEAF_MAX_BLOB_BYTES', 'SHEAF_GRAPHIQL', 'SHEAF_MAX_QUERY_DEPTH'])
      assert.match(problems, name);
    assert.match(problems, 'expected an integer from 0 to 65535');
    assert.match(problems, 'postgres://');
  }
});

test('valid values and explicit overrides are taken', () => {
  const config = loadConfig({ SHEAF_PORT: '8080', DATABASE_URL: 'postgresql://u@h/db', SHEAF_LOG_LEVEL: 'warn' }, { port: 0 });
  assert.equal([config.port, config.databaseUrl, config.logLevel], [0, 'postgresql://u@h/db', 'warn']);
});

test.run();
