import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface GraphqlLimits {
  /** Deepest field nesting of an operation (introspection excepted). */
  readonly maxDepth: number;
  /**
   * Highest cost of an operation (introspection excepted): 1 per scalar field, 2 per object
   * field, children weighted 1.5× per level of depth, and a list field's cost multiplied by its
   * `first` or `last` argument.
   */
  readonly maxCost: number;
  /** Most aliased fields in an operation (`__typename` aliases are free). */
  readonly maxAliases: number;
  /** Most lexical tokens in a document; counted while parsing, so a huge document is cut short. */
  readonly maxTokens: number;
}

/** `extensions.code` of the GraphQL error a client gets when a limit refuses its request. */
export const LIMIT_CODES = {
  maxDepth: 'QUERY_TOO_DEEP',
  maxCost: 'QUERY_TOO_COSTLY',
  maxAliases: 'TOO_MANY_ALIASES',
  maxTokens: 'QUERY_TOO_LARGE',
} as const satisfies Record<keyof GraphqlLimits, string>;

/**
 * Envelop plugins for graphql-yoga that refuse abusive documents before they execute, using
 * GraphQL Armor: token count while parsing, then depth, cost and aliases while validating.
 * A refused request gets a GraphQL error whose message states the limit and what was found
 * ("Query depth limit of 12 exceeded, found 13.") and whose `extensions.code` is one of
 * LIMIT_CODES; nothing of it runs.
 */
export function graphqlLimitPlugins(limits: GraphqlLimits): Plugin[] {
  return [
    // Parsing has no validation context to report to: the error is thrown, ending the parse.
    maxTokensPlugin({
      n: limits.maxTokens,
      propagateOnRejection: false,
      onReject: [
        (_context, error) => {
          throw limitError(error, LIMIT_CODES.maxTokens);
        },
      ],
    }),
    maxDepthPlugin({ n: limits.maxDepth, exposeLimits: true, ...reported(LIMIT_CODES.maxDepth) }),
    costLimitPlugin({ maxCost: limits.maxCost, exposeLimits: true, ...reported(LIMIT_CODES.maxCost) }),
    maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true, ...reported(LIMIT_CODES.maxAliases) }),
  ];
}

// The armor types package is a dependency of the plugins, not of Sheaf.
type RejectCallback = NonNullable<NonNullable<Parameters<typeof maxDepthPlugin>[0]>['onReject']>[number];

/**
 * Armor throws its own error from inside the validation rule, without a code; reported through
 * the validation context instead, the error carries one and joins the other validation errors.
 */
function reported(code: string): { propagateOnRejection: false; onReject: RejectCallback[] } {
  return {
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(limitError(error, code))],
  };
}

// Armor words every refusal as a "Syntax Error", though the document parsed fine.
function limitError(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } });
}
