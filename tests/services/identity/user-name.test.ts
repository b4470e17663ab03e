import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidNameError } from '../../../core/errors.ts';
import { parseUserName } from '../../../services/identity/user-name.ts';

const test = suite('parseUserName');

test('letters, digits, dot, underscore and dash, 1-64, starting with a letter or digit', () => {
  for (const name of ['a', 'Ada', 'ada.lovelace', 'ci_bot-2', '7', 'x'.repeat(64)]) assert.is(parseUserName(name), name);
  for (const bad of ['', '.a', '_a', '-a', 'a b', 'a/b', 'a@b', 'a..b', 'a.', 'ü', 'x'.repeat(65), 'ab'.repeat(32), null, 5])
    assert.throws(() => parseUserName(bad), (e: unknown) => e instanceof InvalidNameError, String(bad));
});

test.run();
