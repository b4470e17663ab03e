import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../server/config.ts';

const test = suite('SHEAF_WORKERS');

test('the server runs one job at a time by default, none with 0, up to 64', () => {
  assert.is(loadConfig({}).workers, 1);
  assert.is(loadConfig({ SHEAF_WORKERS: '0' }).workers, 0);
  assert.is(loadConfig({ SHEAF_WORKERS: '8' }).workers, 8);
  for (const bad of ['-1', '65', 'two', '1.5'])
    assert.throws(() => loadConfig({ SHEAF_WORKERS: bad }), (error: unknown) => error instanceof ConfigError && /SHEAF_WORKERS/.test(error.message));
});

test.run();
