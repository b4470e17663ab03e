import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schema } from '../../../schema/index.ts';

const test = suite('auth scopes on subscriptions');

// Subscriptions are entry points like queries and mutations: each declares the credential it
// needs, checked when it starts (authorizeOnSubscribe), before any event is sent.
test('every subscription field declares its auth scopes', () => {
  const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
  assert.ok(fields.some((field) => field.name === 'jobProgress'));
  const undeclared = fields
    .filter((field) => !(field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes)
    .map((field) => field.name);
  assert.equal(undeclared, []);
});

test.run();
