import { resolve } from 'node:path';
import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { loadProcessConfig, untilSignal } from '../server-process.ts';

/** `sheaf serve`: runs the server in this process until SIGINT or SIGTERM. */
export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'run the Sheaf server until interrupted',
  synopsis: 'serve [--port 4000] [--data-dir ./.sheaf]',
  description: [
    'Runs the server (GraphQL at /graphql, blobs at /v1/projects/<project>/blobs) until SIGINT or SIGTERM, then closes',
    'connections and the database. Configuration comes from the environment (SHEAF_HOST, SHEAF_PORT,',
    'SHEAF_DATA_DIR, DATABASE_URL, SHEAF_LOG_LEVEL, SHEAF_MAX_BLOB_BYTES…); the flags override it.',
    'Without DATABASE_URL the embedded database lives in <data-dir>/db. On the first start of an empty',
    'instance it creates the administrator "admin" and prints its API token once (stderr, or the',
    'bootstrapToken field with --json).',
  ].join('\n'),
  positionals: [],
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
  optionHelp: [
    ['--port <n>', 'TCP port, 0 for any free one (default 4000 or SHEAF_PORT)'],
    ['--data-dir <dir>', 'blobs and the embedded database (default ./.sheaf or SHEAF_DATA_DIR)'],
  ],
  async run(context, args) {
    const overrides: { port?: number; dataDir?: string } = {};
    const port = args.string('port');
    if (port !== undefined) {
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`--port ${JSON.stringify(port)}: expected an integer from 0 to 65535`);
      overrides.port = Number(port);
    }
    const dataDir = args.string('data-dir');
    if (dataDir !== undefined) overrides.dataDir = resolve(dataDir);
    const config = await loadProcessConfig(context.io.env, overrides);
    // Loaded on demand: the server stack is large, and only this command needs it.
    const { startServer } = await import('../../server/main.ts');
    const server = await startServer(config);
    const { bootstrapToken } = server;
    context.io.stdout.write(
      context.global.json
        ? `${JSON.stringify({ url: server.url, dataDir: config.dataDir, database: config.databaseUrl ? 'postgres' : 'pglite', bootstrapToken })}\n`
        : `sheaf is serving on ${server.url} (data in ${config.dataDir})\n`,
    );
    if (bootstrapToken !== null && !context.global.json)
      context.io.stderr.write(
        [
          '',
          'First start: created the administrator "admin". Its API token, shown this once only:',
          '',
          `  export SHEAF_TOKEN=${bootstrapToken}`,
          '',
          'Create users and tokens of your own with it (sheaf user create, sheaf token create), then revoke it.',
          '',
        ].join('\n'),
      );
    const signal = await untilSignal();
    context.io.stderr.write(`${signal}: shutting down\n`);
    await server.close();
  },
};
