import { UsageError } from './cli-error.ts';

/** Where `sheaf serve` listens by default. */
export const DEFAULT_SERVER = 'http://127.0.0.1:4000';
/** The project every fresh server has. */
export const DEFAULT_PROJECT = 'default';

/** Options every command takes, after flags and environment are combined. */
export interface GlobalOptions {
  /** Base URL of the server, without a trailing slash. */
  readonly server: string;
  readonly project: string;
  readonly json: boolean;
  /** Bearer token from SHEAF_TOKEN; sent, never printed. */
  readonly token: string | undefined;
}

/**
 * Flags win over the environment (SHEAF_URL, SHEAF_PROJECT, SHEAF_TOKEN), which wins over the
 * defaults.
 * @throws UsageError for a server that is not an http(s) URL or an empty project
 */
export function resolveGlobalOptions(
  flags: { server?: string | undefined; project?: string | undefined; json?: boolean | undefined },
  env: NodeJS.ProcessEnv,
): GlobalOptions {
  const server = flags.server ?? (env.SHEAF_URL || DEFAULT_SERVER);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server ${JSON.stringify(server)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--server ${JSON.stringify(server)} must be an http:// or https:// URL`);
  const project = flags.project ?? (env.SHEAF_PROJECT || DEFAULT_PROJECT);
  if (project === '') throw new UsageError('--project must not be empty');
  return {
    server: url.href.replace(/\/+$/, ''),
    project,
    json: flags.json ?? false,
    token: env.SHEAF_TOKEN || undefined,
  };
}
