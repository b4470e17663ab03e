import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';

export interface TestServer {
  readonly url: string;
  readonly server: RunningServer;
  /** POSTs a GraphQL request; returns the parsed JSON body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>;
  /** Uploads bytes as a blob; returns its hash. */
  upload(bytes: Uint8Array | string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real server on a free port, with an embedded PGlite database and blob store in a fresh
 * temporary directory (or on `databaseUrl`), torn down by `close`.
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sheaf-server-'));
  const server = await startServer(loadConfig({}, { port: 0, dataDir, logLevel: 'silent', ...overrides }));
  return {
    url: server.url,
    server,
    async gql(query, variables) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async upload(bytes) {
      const response = await fetch(`${server.url}/v1/blobs`, { method: 'PUT', body: Buffer.from(bytes) });
      if (!response.ok) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { hash: string }).hash;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
