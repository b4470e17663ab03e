import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sheaf.js', import.meta.url));

/** `sheaf serve` running as a child process, as in production. */
export interface ServerProcess {
  readonly url: string;
  /** Printed by the first start of an empty instance only. */
  readonly bootstrapToken: string | null;
  readonly child: ChildProcess;
  /** What the process wrote so far: its log (JSON lines on stdout) and stderr. */
  output(): string;
  /** SIGKILL: no shutdown of any kind, as a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
}

/**
 * Starts `sheaf serve --port 0 --data-dir <dataDir> --json` with `env` (DATABASE_URL,
 * SHEAF_LOG_LEVEL…) and waits for the line it prints once listening.
 */
export async function startServerProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SHEAF_')));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--json'], {
    env: { ...clean, SHEAF_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = Date.now();
  // The log goes to stdout too (JSON lines): the line to wait for is the one with the URL.
  const printedLine = () => stdout.split('\n').find((line) => line.startsWith('{"url":'));
  while (printedLine() === undefined) {
    if (child.exitCode !== null) throw new Error(`sheaf serve exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`sheaf serve printed nothing in 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const printed = JSON.parse(printedLine()!) as { url: string; bootstrapToken: string | null };
  const exited = once(child, 'exit');
  return {
    url: printed.url,
    bootstrapToken: printed.bootstrapToken,
    child,
    output: () => `${stdout}${stderr}`,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}
