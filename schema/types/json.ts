import { canonicalJson, type JsonValue } from '../../core/canonical-json.ts';
import { builder } from '../builder.ts';

/** Any JSON value; inputs are validated to be representable exactly (no NaN, no Infinity). */
export const JsonScalar = builder.scalarType('JSON', {
  description: 'A JSON value (object, array, string, number, boolean or null).',
  serialize: (value) => value as JsonValue,
  parseValue: (value) => {
    canonicalJson(value, 'JSON value');
    return value as JsonValue;
  },
});
