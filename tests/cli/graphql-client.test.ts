import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../cli/cli-error.ts';
import { GraphqlClient, unwrap } from '../../cli/graphql-client.ts';
import { ServerConnection } from '../../cli/server-connection.ts';

const test = suite('GraphqlClient');
let server: Server;
let url: string;
let respond: (req: IncomingMessage, res: ServerResponse) => void = () => {};

test.before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => respond(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
test.after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

async function failure(client = new GraphqlClient(new ServerConnection(url, undefined))): Promise<CliError> {
  try {
    await client.request('{ x }');
  } catch (error) {
    assert.instance(error, CliError);
    return error as CliError;
  }
  throw new Error('expected a failure');
}

test('returns data; sends the bearer token only when there is one', async () => {
  let authorization: string | undefined;
  respond = (req, res) => {
    authorization = req.headers.authorization;
    json(200, { data: { x: 1 } })(req, res);
  };
  assert.equal(await new GraphqlClient(new ServerConnection(url, 'tok')).request('{ x }'), { x: 1 });
  assert.is(authorization, 'Bearer tok');
  await new GraphqlClient(new ServerConnection(url, undefined)).request('{ x }');
  assert.is(authorization, undefined);
});

test('a core error code in the errors list is an expected failure (exit 1)', async () => {
  respond = json(200, { data: null, errors: [{ message: 'ref not found: cats@x', extensions: { code: 'NOT_FOUND' } }] });
  const error = await failure();
  assert.equal([error.code, error.message, error.exitCode], ['NOT_FOUND', 'ref not found: cats@x', 1]);
});

test('validation errors, masked errors and non-GraphQL answers are unexpected (exit 3), refusals exit 1', async () => {
  respond = json(400, { errors: [{ message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  assert.equal([(await failure()).code, (await failure()).exitCode], ['GRAPHQL_VALIDATION_FAILED', 3]);
  respond = json(200, { data: null, errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL' } }] });
  assert.is((await failure()).exitCode, 3);
  respond = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
  assert.equal([(await failure()).code, (await failure()).exitCode], ['UNEXPECTED', 3]);
  respond = (_req, res) => res.writeHead(401).end('no');
  assert.equal([(await failure()).code, (await failure()).exitCode], ['UNAUTHORIZED', 1]);
});

test('unwrap: the success member, or a CliError carrying the error member\'s code and fields', () => {
  assert.equal(unwrap({ __typename: 'Dataset', name: 'cats' } as never, 'Dataset'), { __typename: 'Dataset', name: 'cats' });
  try {
    unwrap({ __typename: 'MergeConflictError', code: 'MERGE_CONFLICT', message: '1 conflict', conflicts: [{ path: 'a' }] } as never, 'MergeResult');
    assert.unreachable('expected a CliError');
  } catch (error) {
    assert.instance(error, CliError);
    assert.equal([(error as CliError).code, (error as CliError).exitCode, (error as CliError).options.data], ['MERGE_CONFLICT', 1, { conflicts: [{ path: 'a' }] }]);
  }
});

test.run();
