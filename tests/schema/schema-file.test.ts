import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schema } from '../../schema/index.ts';

const test = suite('schema.graphql');

test('the committed schema.graphql matches the schema the server builds (run npm run schema)', () => {
  const committed = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
  assert.fixture(committed, printSchema(schema) + '\n');
});

test.run();
