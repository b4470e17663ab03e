import { run } from './run.ts';

// A reader that stops early (`sheaf cat … | head`) closes the pipe: end quietly, as Unix
// tools do, instead of failing on a write nobody will read.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The `sheaf` executable (bin/sheaf.js loads this file). `run` resolves once the command is
// done (for `serve`, once the server has shut down); the process then ends as soon as stdout
// is flushed, so that idle keep-alive sockets cannot delay the exit.
const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(code);
