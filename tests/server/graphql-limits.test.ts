import { getIntrospectionQuery } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { graphqlLimitPlugins } from '../../server/graphql-limits.ts';

const test = suite('graphqlLimitPlugins');

interface Node {
  id: string;
}
let executed = 0;
const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        hello: String
        node: Node
      }
      type Node {
        id: ID!
        child: Node
        children(first: Int): [Node!]!
      }
    `,
    resolvers: {
      Query: {
        hello: () => {
          executed += 1;
          return 'world';
        },
        node: () => ({ id: 'n' }),
      },
      Node: {
        child: (node: Node) => ({ id: `${node.id}.c` }),
        children: (node: Node, args: { first?: number }) =>
          Array.from({ length: Math.min(args.first ?? 2, 2) }, (_, i) => ({ id: `${node.id}.${i}` })),
      },
    },
  }),
  plugins: graphqlLimitPlugins({ maxDepth: 4, maxCost: 100, maxAliases: 3, maxTokens: 1000 }),
  logging: false,
});

interface Result {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function run(query: string): Promise<Result> {
  const res = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as Result;
}

function assertRefused(result: Result, code: string, message: string): void {
  assert.is(result.data, undefined, 'nothing executed');
  assert.equal(
    result.errors?.map((error) => [error.message, error.extensions?.code]),
    [[message, code]],
  );
}

test('a query within every limit runs', async () => {
  const result = await run('{ hello a: hello node { id child { id children(first: 2) { id } } } }');
  assert.equal(result, {
    data: { hello: 'world', a: 'world', node: { id: 'n', child: { id: 'n.c', children: [{ id: 'n.c.0' }, { id: 'n.c.1' }] } } },
  });
});

test('too deep', async () => {
  assertRefused(
    await run('{ node { child { child { child { child { id } } } } } }'),
    'QUERY_TOO_DEEP',
    'Query depth limit of 4 exceeded, found 6.',
  );
});

test('too costly: a list asked for a thousand at a time', async () => {
  const result = await run('{ node { children(first: 1000) { id } } }');
  assert.is(result.data, undefined);
  assert.is(result.errors?.length, 1);
  assert.is(result.errors?.[0]?.extensions?.code, 'QUERY_TOO_COSTLY');
  assert.match(result.errors?.[0]?.message ?? '', /^Query Cost limit of 100 exceeded, found \d+\.$/);
});

test('too many aliases', async () => {
  const before = executed;
  assertRefused(await run('{ a: hello b: hello c: hello d: hello }'), 'TOO_MANY_ALIASES', 'Aliases limit of 3 exceeded, found 4.');
  assert.is(executed, before, 'no resolver ran');
});

test('too many tokens: refused while parsing; a plain syntax error keeps its own message', async () => {
  assertRefused(await run(`{ ${'hello '.repeat(1200)}}`), 'QUERY_TOO_LARGE', 'Token limit of 1000 exceeded.');
  const broken = await run('{ hello');
  assert.is(broken.errors?.length, 1);
  assert.match(broken.errors?.[0]?.message ?? '', /^Syntax Error: Expected Name/);
  assert.is.not(broken.errors?.[0]?.extensions?.code, 'QUERY_TOO_LARGE');
});

test('several limits exceeded at once are all reported', async () => {
  const result = await run('{ a: node { child { child { child { child { id } } } } } b: hello c: hello d: hello }');
  assert.equal(result.errors?.map((error) => error.extensions?.code).sort(), ['QUERY_TOO_DEEP', 'TOO_MANY_ALIASES']);
});

test('introspection (GraphiQL, code generators) is exempt from depth and cost', async () => {
  const result = await run(getIntrospectionQuery());
  assert.is(result.errors, undefined);
  assert.ok((result.data as { __schema?: unknown }).__schema);
});

test.run();
