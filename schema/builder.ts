import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { JsonValue } from '../core/canonical-json.ts';
import type { Context } from './context.ts';

/** The schema builder: plugins and options only; types live in schema/types/. */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { signedIn: boolean };
  Scalars: { JSON: { Input: JsonValue; Output: JsonValue } };
  DefaultFieldNullability: false;
}>({
  // scope-auth must come first so it runs before the other plugins' resolvers.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: async (context) => ({ signedIn: context.actor !== null }),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  errors: { directResult: true },
});
