import { CliError, ExitCode, UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { loadProcessConfig, untilSignal } from '../server-process.ts';

/** `sheaf worker`: runs jobs from the server's database until SIGINT or SIGTERM. */
export const workerCommand: CommandSpec = {
  name: 'worker',
  summary: 'run jobs (transforms, verification) in this process',
  synopsis: 'worker [--concurrency <n>] [--data-dir ./.sheaf]',
  description: [
    'Connects to the server\'s database and runs queued jobs, n at a time, until SIGINT or SIGTERM; then',
    'its running jobs are aborted and retried by another worker. Needs DATABASE_URL (PostgreSQL): the',
    'embedded database can only be used by the server process, which runs jobs itself (SHEAF_WORKERS).',
    'Blobs are read and written in <data-dir>/blobs, which must be the server\'s (a shared disk).',
    'Configuration comes from the environment as for "sheaf serve".',
  ].join('\n'),
  positionals: [],
  options: { concurrency: { type: 'string' }, 'data-dir': { type: 'string' } },
  optionHelp: [
    ['--concurrency <n>', 'jobs at once, 1-64 (default SHEAF_WORKERS, or 1)'],
    ['--data-dir <dir>', 'where blobs live (default ./.sheaf or SHEAF_DATA_DIR)'],
  ],
  async run(context, args) {
    const { resolve } = await import('node:path');
    const { startWorker } = await import('../../server/worker.ts');
    const { PostgresRequiredError } = await import('../../core/errors.ts');
    const raw = args.string('concurrency');
    if (raw !== undefined && (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64))
      throw new UsageError(`--concurrency ${JSON.stringify(raw)}: expected an integer from 1 to 64`, 'worker');
    const dataDir = args.string('data-dir');
    const config = await loadProcessConfig(context.io.env, dataDir === undefined ? {} : { dataDir: resolve(dataDir) });
    const concurrency = raw === undefined ? Math.max(1, config.workers) : Number(raw);
    let worker;
    try {
      worker = await startWorker(config, { concurrency });
    } catch (error) {
      if (error instanceof PostgresRequiredError) throw new CliError(error.code, error.message, { exitCode: ExitCode.usage });
      throw error;
    }
    context.io.stderr.write(`sheaf worker: running up to ${concurrency} job(s) at once\n`);
    const signal = await untilSignal();
    context.io.stderr.write(`${signal}: stopping; running jobs will be retried by another worker\n`);
    await worker.close();
  },
};
