import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { target, timeMs, type BenchResult } from './result.ts';

const run = promisify(execFile);
const sheafBin = new URL('../bin/sheaf.js', import.meta.url).pathname;
const FILE_BYTES = 4096;

/**
 * Provisioning against a real server (embedded database, blob store on the same filesystem as
 * the exports): `sheaf export` of a 10,000-file snapshot versus `cp -r` of the same files, with
 * and without `--link` (whose system counterpart, `cp -rl`, is shown too); and the snapshot's
 * tar stream, read by curl, versus `tar -cf - dir | cat`. Every client is a child process, as
 * users run them, each in turns with its baseline, like with like: the files are in the page
 * cache (written, pushed, then read in the warm-up turn) and every copy goes to the same disk;
 * the stream and tar both end in a pipe read by `cat`. Medians of three turns after a warm-up (with
 * --large, one turn: the files are in the page cache from writing and pushing them). With --large, the `--link` export of
 * 100,000 files is timed against its 5 s goal.
 */
export async function benchProvision(options: { large: boolean; workDir: string; log?: (line: string) => void }): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  const files = options.large ? 100_000 : 10_000;
  const runs = options.large ? 1 : 3;
  const warmup = !options.large;
  await mkdir(options.workDir, { recursive: true });
  const work = await mkdtemp(join(options.workDir, 'provision-'));
  const source = join(work, 'source');
  log(`writing ${files} files of 4 KiB…`);
  for (let dir = 0; dir * 1000 < files; dir++) {
    await mkdir(join(source, `d${dir}`), { recursive: true });
    await Promise.all(
      Array.from({ length: Math.min(1000, files - dir * 1000) }, (_, i) => writeFile(join(source, `d${dir}`, `f${i}.bin`), randomBytes(FILE_BYTES))),
    );
  }
  const server = await startServer(loadConfig({}, { port: 0, dataDir: join(work, 'server'), logLevel: 'silent', exposeBlobPaths: true }));
  const env = { ...process.env, SHEAF_TOKEN: server.bootstrapToken ?? '' };
  const sheaf = (...args: string[]) => run(process.execPath, [sheafBin, ...args, '--server', server.url, '--json'], { maxBuffer: 64 * 1024 * 1024, env });
  let made = 0;
  const fresh = () => join(work, `out-${made++}`);
  try {
    log('sheaf push (setup)…');
    await sheaf('dataset', 'create', 'bench');
    const { snapshot } = JSON.parse((await sheaf('push', source, '--dataset', 'bench', '-m', 'bench')).stdout) as { snapshot: string };
    const results: BenchResult[] = [];

    // Each tool runs right after its baseline, in turns: creating files on a shared machine's
    // disk was measured to vary tenfold within minutes, which blocks of runs would compare.
    log('sheaf export and cp -r, in turns…');
    const [exportMs, cpMs] = await inTurns(runs, warmup, () => sheaf('export', snapshot, fresh()), () => run('cp', ['-r', source, fresh()]));
    results.push(ratioResult(`sheaf export ${files} files of 4 KiB`, files, exportMs, 'cp -r', cpMs, 0.8));
    log('sheaf export --link and cp -rl, in turns…');
    let linked = 0;
    const linkOnce = async () => {
      linked = (JSON.parse((await sheaf('export', snapshot, fresh(), '--link')).stdout) as { linked: number }).linked;
    };
    const [linkMs, cpLinkMs] = await inTurns(runs, warmup, linkOnce, () => run('cp', ['-rl', source, fresh()]));
    results.push({
      ...ratioResult(`sheaf export --link ${files} files`, files, linkMs, 'cp -r', cpMs, 0.8),
      note: `cp -rl (links, no copy) of the same tree: ${((files / cpLinkMs) * 1000).toFixed(0)} files/s; ${linked} of ${files} files linked`,
      ...(options.large ? { target: target('100k files < 5 s', linkMs < 5000 && linked === files) } : {}),
    });

    log('tar stream and tar -cf, in turns…');
    const url = `${server.url}/v1/projects/default/snapshots/${snapshot}/tar`;
    const curl = () => run('sh', ['-c', `curl -sf -H "Authorization: Bearer $SHEAF_TOKEN" "${url}" | cat > /dev/null`], { env });
    // Through a pipe: GNU tar skips reading the files when it sees it writes to /dev/null.
    const systemTar = () => run('sh', ['-c', `tar -cf - -C "${source}" . | cat > /dev/null`]);
    const [streamMs, tarMs] = await inTurns(runs, warmup, curl, systemTar);
    results.push(ratioResult(`tar stream of ${files} files (curl)`, files, streamMs, 'tar -cf - dir | cat', tarMs, 0.8));
    return results;
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Median wall times in ms of `a` and `b`, run in turns `runs` times (after a warm-up turn when `warmup`). */
async function inTurns(runs: number, warmup: boolean, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  if (warmup) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    times[0].push(await timeMs(a));
    times[1].push(await timeMs(b));
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return [median(times[0]), median(times[1])];
}

function ratioResult(name: string, files: number, ms: number, baselineName: string, baselineMs: number, goal: number): BenchResult {
  const ratio = baselineMs / ms;
  return {
    name,
    value: (files / ms) * 1000,
    unit: 'files/s',
    baseline: { name: baselineName, value: (files / baselineMs) * 1000 },
    ratio,
    target: target(`>= ${goal}x ${baselineName}`, ratio >= goal),
  };
}
