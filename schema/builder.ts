import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { JsonValue } from '../core/canonical-json.ts';
import { ForbiddenError } from '../core/errors.ts';
import { requireSignedIn } from '../services/access/access-control.ts';
import type { Scope } from '../services/actor.ts';
import type { Context } from './context.ts';

/**
 * The schema builder: plugins and options only; types live in schema/types/.
 *
 * Auth scopes say what kind of credential a field needs; every field declares one. Whether the
 * caller's role allows it on the rows it touches is decided by the services, so the CLI, jobs
 * and trainers are guarded the same way.
 * - `credential: 'read' | 'write' | 'admin'`: signed in, with a token (or session) holding that scope.
 * - `public: true`: anyone, signed in or not (sign-in itself).
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { credential: Scope; public: boolean };
  Scalars: { JSON: { Input: JsonValue; Output: JsonValue } };
  DefaultFieldNullability: false;
}>({
  // scope-auth must come first so it runs before the other plugins' resolvers.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // A subscription's scopes are checked when it starts, not on each event it sends.
    authorizeOnSubscribe: true,
    authScopes: async (context) => ({
      public: true,
      credential: (scope: Scope) => requireSignedIn(context.actor).scopes.has(scope),
    }),
    unauthorizedError: (_parent, context, info, result) => {
      const actor = requireSignedIn(context.actor);
      const action = `${info.parentType.name}.${info.fieldName}`;
      void context.services.access.deny(actor, action, null, 'the API', result.message);
      return new ForbiddenError('credential scope', `${action}: ${result.message}`);
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  errors: { directResult: true },
});
