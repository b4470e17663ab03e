import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sheaf.js', import.meta.url));

/** What one `sheaf` process did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  /** stdout parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
}

/**
 * Runs the real `sheaf` executable as a child process with `args` (asynchronously: the server
 * under test lives in this process and must keep serving). SHEAF_* variables of the caller's
 * environment are dropped so they cannot leak into the test.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SHEAF_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      let json: unknown;
      try {
        json = JSON.parse(stdout.toString());
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr: err, json });
    });
  });
}
