import { BlobClient } from './blob-client.ts';
import type { CommandContext, Io } from './command.ts';
import type { GlobalOptions } from './global-options.ts';
import { GraphqlClient } from './graphql-client.ts';
import { createProgress } from './progress.ts';
import { ServerConnection } from './server-connection.ts';

/** The context commands run in: clients of the configured server, progress and warnings on stderr. */
export function createContext(global: GlobalOptions, io: Io): CommandContext {
  const connection = new ServerConnection(global.server, global.token);
  return {
    global,
    io,
    graphql: new GraphqlClient(connection),
    blobs: new BlobClient(connection, global.project),
    progress: (label, total, unit) => createProgress(io.stderr, !global.json, label, total, unit),
    warn: (message) => void io.stderr.write(`warning: ${message}\n`),
  };
}
