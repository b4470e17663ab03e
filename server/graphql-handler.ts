import type { GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { maskError } from '../schema/errors.ts';
import { graphqlLimitPlugins, type GraphqlLimits } from './graphql-limits.ts';
import type { Actor } from '../services/actor.ts';
import type { Context, Services } from '../schema/context.ts';

type KoaContext = Koa.ParameterizedContext<{ requestId?: string; log?: Logger; actor?: Actor | null }>;

/**
 * The GraphQL endpoint as koa middleware: graphql-yoga over the Pothos schema, with a query
 * depth, cost, alias and size limits, and errors masked unless they are expected core errors
 * (unexpected ones are logged with the request id).
 */
export function graphqlHandler(deps: {
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  graphiql: boolean;
  limits: GraphqlLimits;
  maxRequestBytes: number;
}): Koa.Middleware {
  const yoga = createYoga<{ koa: KoaContext }, Context>({
    schema: deps.schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.graphiql,
    landingPage: false,
    logging: false,
    plugins: graphqlLimitPlugins(deps.limits),
    context: ({ koa }) => ({
      // Set by the authenticate middleware; resolvers and services refuse what needs one.
      actor: koa.state.actor ?? null,
      services: deps.services,
      requestId: koa.state.requestId ?? '',
    }),
    maskedErrors: {
      maskError: (error, message) => {
        const masked = maskError(error, message);
        if ((masked as { extensions?: { code?: string } }).extensions?.code === 'INTERNAL')
          deps.logger.error({ err: error }, 'unexpected error in a GraphQL resolver');
        return masked;
      },
    },
  });
  return async (ctx) => {
    // The body is read whole by the GraphQL parser, so its size must be known and bounded.
    if (ctx.method === 'POST' && !ctx.get('content-length')) {
      ctx.status = 411;
      ctx.body = { errors: [{ message: 'a Content-Length header is required', extensions: { code: 'LENGTH_REQUIRED' } }] };
      return;
    }
    const length = Number(ctx.get('content-length') || 0);
    if (length > deps.maxRequestBytes) {
      ctx.status = 413;
      ctx.body = { errors: [{ message: `request body over ${deps.maxRequestBytes} bytes`, extensions: { code: 'REQUEST_TOO_LARGE' } }] };
      return;
    }
    const response = await yoga.handleNodeRequestAndResponse(ctx.req, ctx.res, { koa: ctx });
    ctx.status = response.status;
    response.headers.forEach((value, key) => ctx.append(key, value));
    ctx.body = response.body;
  };
}
