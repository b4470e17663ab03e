import { spawn } from 'node:child_process';
import { InvalidInputError } from '../../core/errors.ts';

/**
 * Runs `ffmpeg` (looked up on PATH unless `binary` names another) with `args` and resolves to
 * its exit code; its output is discarded (error text names temporary paths, and the caller
 * reports decoding failures in its own words). Aborting `signal` kills it.
 * @throws InvalidInputError('ffmpeg') when the program is not installed
 * @throws the signal's reason when aborted
 */
export function runFfmpeg(binary: string, args: readonly string[], signal: AbortSignal): Promise<number> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'ignore', signal, killSignal: 'SIGKILL' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (signal.aborted) reject(signal.reason);
      else if (error.code === 'ENOENT') reject(new InvalidInputError('ffmpeg', 'not installed: apt-get install ffmpeg'));
      else reject(error);
    });
    child.once('close', (code) => {
      if (signal.aborted) reject(signal.reason);
      else resolve(code ?? -1);
    });
  });
}
