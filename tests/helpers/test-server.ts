import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';

export interface GqlResult<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  /** The HTTP layer's refusal of the request itself (e.g. a bad token), before GraphQL ran. */
  error?: { code: string; message: string };
}

/** Who a request is sent as: a token, or nobody (`null`). Default: the administrator. */
export interface As {
  readonly token?: string | null | undefined;
}

export interface TestServer {
  readonly url: string;
  readonly server: RunningServer;
  /** The administrator's bootstrap token (admin of the instance, owner of the default project). */
  readonly adminToken: string;
  /** POSTs a GraphQL request; returns the parsed JSON body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, as?: As): Promise<GqlResult<T>>;
  /** Uploads bytes as a blob of `project` (default: "default"); returns its hash. */
  upload(bytes: Uint8Array | string, options?: As & { project?: string }): Promise<string>;
  /** Authorization headers for `as`. */
  headers(as?: As): Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real server on a free port, with an embedded PGlite database and blob store in a fresh
 * temporary directory (or on `databaseUrl`), torn down by `close`. Requests go as the
 * administrator whose token the first start printed, unless told otherwise.
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sheaf-server-'));
  const server = await startServer(loadConfig({}, { port: 0, dataDir, logLevel: 'silent', ...overrides }));
  const adminToken = server.bootstrapToken;
  if (adminToken === null) throw new Error('a fresh server printed no bootstrap token');
  const headers = (as: As = {}): Record<string, string> => {
    const token = as.token === undefined ? adminToken : as.token;
    return token === null ? {} : { authorization: `Bearer ${token}` };
  };
  return {
    url: server.url,
    server,
    adminToken,
    headers,
    async gql(query, variables, as) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers(as) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async upload(bytes, options = {}) {
      const project = options.project ?? 'default';
      const response = await fetch(`${server.url}/v1/projects/${project}/blobs`, { method: 'PUT', body: Buffer.from(bytes), headers: headers(options) });
      if (!response.ok) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { hash: string }).hash;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
