import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schema } from '../../schema/index.ts';

const test = suite('auth scopes on the schema');

// Every entry point of the API states what credential it needs; the services then check the
// caller's role on the rows. A field added without one would be reachable by anyone.
test('every query and mutation field declares its auth scopes', () => {
  const undeclared: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root!.getFields())) {
      const options = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
      if (!options?.authScopes) undeclared.push(`${root!.name}.${field.name}`);
    }
  }
  assert.equal(undeclared, []);
});

test('mutations need a write or admin credential, except the ones a read-only token may use on itself', () => {
  const readable = new Set(['createToken', 'revokeToken', 'setPassword']);
  const loose: string[] = [];
  for (const field of Object.values(schema.getMutationType()!.getFields())) {
    const scopes = (field.extensions as { pothosOptions: { authScopes: { credential?: string; public?: boolean } } }).pothosOptions.authScopes;
    const expected = readable.has(field.name) ? 'read' : undefined;
    if (expected ? scopes.credential !== expected : scopes.credential !== 'write' && scopes.credential !== 'admin') loose.push(field.name);
  }
  assert.equal(loose, []);
});

test.run();
