import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEND_CHUNK_BYTES } from '../adapters/tar/tar-sink.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { median, target, timeMs, type BenchResult } from './result.ts';

const run = promisify(execFile);
const sheafBin = new URL('../bin/sheaf.js', import.meta.url).pathname;
const buildCli = new URL('../scripts/build-cli.mjs', import.meta.url).pathname;
const SMALL_BYTES = 4096;
const PHOTO_BYTES = 128 * 1024;

/**
 * Provisioning against real servers (embedded database, blob store on the same filesystem as
 * the exports): `sheaf export` of a 10,000-file snapshot of 4 KiB files versus `cp -r` of the
 * same files — from a server on this machine exposing its blob paths, which the export copies
 * from its store, and over HTTP from a server that does not expose them, as from a remote one —
 * with and without `--link` (whose system counterpart, `cp -rl`, is shown too); and the
 * snapshot's tar stream, read by curl, versus `tar -cf - dir | cat`. Then the same at 128 KiB
 * per file (a typical photo; 2,000 files), so per-file and per-byte costs both show. Every
 * client is a child process, as users run them, each in turns with its baseline, like with
 * like: the files are in the page cache (written, pushed, then read in the warm-up turn) and
 * every copy goes to the same disk; the stream and tar both end in a pipe read by `cat`.
 * Medians of three turns after a warm-up, and ratios that are the medians of the turns' own
 * (the `--link` row compares with the export row's `cp -r`). With --large, 100,000 small and
 * 10,000 large files, one turn: the files are in the page cache from writing and pushing them;
 * the `--link` export of 100,000 files is then timed against its 5 s goal. Each tar stream row
 * is followed by its ceiling over HTTP: the same bytes served from memory to curl.
 */
export async function benchProvision(options: { large: boolean; workDir: string; log?: (line: string) => void }): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  // The command as installed (`npm install` builds it): bin/sheaf.js runs the bundle while fresh.
  await run(process.execPath, [buildCli]);
  const files = options.large ? 100_000 : 10_000;
  const photos = options.large ? 10_000 : 2_000;
  const runs = options.large ? 1 : 3;
  const warmup = !options.large;
  await mkdir(options.workDir, { recursive: true });
  const work = await mkdtemp(join(options.workDir, 'provision-'));
  const source = join(work, 'source');
  const photoSource = join(work, 'photos');
  log(`writing ${files} files of 4 KiB and ${photos} of 128 KiB…`);
  await writeTree(source, files, SMALL_BYTES);
  await writeTree(photoSource, photos, PHOTO_BYTES);
  const serve = (name: string, exposeBlobPaths: boolean) => startServer(loadConfig({}, { port: 0, dataDir: join(work, name), logLevel: 'silent', exposeBlobPaths }));
  const [local, remote] = await Promise.all([serve('server', true), serve('remote', false)]);
  const sheafOf = (server: typeof local) => {
    const env = { ...process.env, SHEAF_TOKEN: server.bootstrapToken ?? '' };
    return (...args: string[]) => run(process.execPath, [sheafBin, ...args, '--server', server.url, '--json'], { maxBuffer: 64 * 1024 * 1024, env });
  };
  const sheaf = sheafOf(local);
  const overHttp = sheafOf(remote);
  let made = 0;
  let outputs: string[] = [];
  const fresh = () => {
    outputs.push(join(work, `out-${made++}`));
    return outputs.at(-1)!;
  };
  // Between rows, not turns: keeps the disk from filling with copies of the 128 KiB files.
  const clean = async () => {
    await Promise.all(outputs.map((dir) => rm(dir, { recursive: true, force: true })));
    outputs = [];
  };
  try {
    log('sheaf push (setup)…');
    const push = async (client: typeof sheaf, dataset: string, dir: string) => {
      await client('dataset', 'create', dataset);
      return (JSON.parse((await client('push', dir, '--dataset', dataset, '-m', 'bench')).stdout) as { snapshot: string }).snapshot;
    };
    const snapshot = await push(sheaf, 'bench', source);
    const photoSnapshot = await push(sheaf, 'photos', photoSource);
    const remoteSnapshot = await push(overHttp, 'bench', source);
    const remotePhotoSnapshot = await push(overHttp, 'photos', photoSource);
    const results: BenchResult[] = [];

    // Each tool runs right after its baseline, in turns: creating files on a shared machine's
    // disk was measured to vary tenfold within minutes, which blocks of runs would compare.
    log('sheaf export (local copy) and cp -r, in turns…');
    let copied = 0;
    let downloaded = 0;
    const exportOnce = (client: typeof sheaf, hash: string) => async () => {
      ({ copied, downloaded } = JSON.parse((await client('export', hash, fresh())).stdout) as { copied: number; downloaded: number });
    };
    const [exportMs, cpMs, exportRatio] = await inTurns(runs, warmup, exportOnce(sheaf, snapshot), () => run('cp', ['-r', source, fresh()]));
    results.push({
      ...ratioResult(`sheaf export ${files} files of 4 KiB`, files, exportMs, 'cp -r', cpMs, 0.8, exportRatio),
      note: `server on this machine exposing blob paths: ${copied} of ${files} files copied from its store`,
    });
    await clean();
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
    await clean();
    log('sheaf export over HTTP and cp -r, in turns…');
    const [httpMs, httpCpMs, httpRatio] = await inTurns(runs, warmup, exportOnce(overHttp, remoteSnapshot), () => run('cp', ['-r', source, fresh()]));
    results.push({
      ...ratioResult(`sheaf export over HTTP ${files} files of 4 KiB`, files, httpMs, 'cp -r', httpCpMs, undefined, httpRatio),
      note: `a server not exposing blob paths (as a remote one): ${downloaded} of ${files} files downloaded`,
    });
    await clean();

    log('tar stream and tar -cf, in turns…');
    const [streamMs, tarMs, streamRatio] = await inTurns(runs, warmup, streamOf(local, snapshot), systemTar(source));
    results.push(ratioResult(`tar stream of ${files} files (curl)`, files, streamMs, 'tar -cf - dir | cat', tarMs, 0.8, streamRatio));
    log('the same tar from memory (the ceiling over HTTP) and tar -cf, in turns…');
    results.push(ceilingResult(files, ...(await httpCeiling(local, snapshot, source, runs, warmup))));

    log(`the same at 128 KiB per file (${photos} files)…`);
    const [photoMs, photoCpMs, photoRatio] = await inTurns(runs, warmup, exportOnce(sheaf, photoSnapshot), () => run('cp', ['-r', photoSource, fresh()]));
    results.push({
      ...ratioResult(`sheaf export ${photos} files of 128 KiB`, photos, photoMs, 'cp -r', photoCpMs, 0.8, photoRatio),
      note: `server on this machine exposing blob paths: ${copied} of ${photos} files copied from its store; ${mbPerS(photos, photoMs)} MB/s`,
    });
    await clean();
    const [photoHttpMs, photoHttpCpMs, photoHttpRatio] = await inTurns(runs, warmup, exportOnce(overHttp, remotePhotoSnapshot), () => run('cp', ['-r', photoSource, fresh()]));
    results.push({
      ...ratioResult(`sheaf export over HTTP ${photos} files of 128 KiB`, photos, photoHttpMs, 'cp -r', photoHttpCpMs, undefined, photoHttpRatio),
      note: `a server not exposing blob paths: ${downloaded} of ${photos} files downloaded; ${mbPerS(photos, photoHttpMs)} MB/s against cp -r's ${mbPerS(photos, photoHttpCpMs)} MB/s`,
    });
    await clean();
    const [photoStreamMs, photoTarMs, photoStreamRatio] = await inTurns(runs, warmup, streamOf(local, photoSnapshot), systemTar(photoSource));
    results.push({
      ...ratioResult(`tar stream of ${photos} files of 128 KiB (curl)`, photos, photoStreamMs, 'tar -cf - dir | cat', photoTarMs, 0.8, photoStreamRatio),
      note: `${mbPerS(photos, photoStreamMs)} MB/s against tar's ${mbPerS(photos, photoTarMs)} MB/s`,
    });
    results.push(ceilingResult(photos, ...(await httpCeiling(local, photoSnapshot, photoSource, runs, warmup))));
    return results;
  } finally {
    await Promise.all([local.close(), remote.close()]);
    await rm(work, { recursive: true, force: true });
  }

  function mbPerS(count: number, ms: number): string {
    return ((count * PHOTO_BYTES) / 1e6 / (ms / 1000)).toFixed(0);
  }
}

/** `count` files of `bytes` random bytes each under `dir`, 1,000 to a directory. */
async function writeTree(dir: string, count: number, bytes: number): Promise<void> {
  for (let sub = 0; sub * 1000 < count; sub++) {
    await mkdir(join(dir, `d${sub}`), { recursive: true });
    await Promise.all(Array.from({ length: Math.min(1000, count - sub * 1000) }, (_, i) => writeFile(join(dir, `d${sub}`, `f${i}.bin`), randomBytes(bytes))));
  }
}

/** The snapshot's tar stream read by curl into a pipe. */
function streamOf(server: { url: string; bootstrapToken: string | null }, snapshot: string): () => Promise<unknown> {
  return curlInto(tarUrl(server, snapshot), server.bootstrapToken ?? '');
}

function tarUrl(server: { url: string }, snapshot: string): string {
  return `${server.url}/v1/projects/default/snapshots/${snapshot}/tar`;
}

function curlInto(url: string, token: string): () => Promise<unknown> {
  const env = { ...process.env, SHEAF_TOKEN: token };
  return () => run('sh', ['-c', `curl -sf -H "Authorization: Bearer $SHEAF_TOKEN" "${url}" | cat > /dev/null`], { env });
}

/**
 * The ceiling of a tar stream over HTTP here: the snapshot's tar, fetched once, served from
 * memory by a bare node:http server (no database, no blob reads, no packing) in chunks of the
 * size Sheaf sends, and read by curl into a pipe like the stream. Timed in turns with `tar`.
 */
async function httpCeiling(server: { url: string; bootstrapToken: string | null }, snapshot: string, dir: string, runs: number, warmup: boolean): Promise<[number, number, number]> {
  const response = await fetch(tarUrl(server, snapshot), { headers: { authorization: `Bearer ${server.bootstrapToken ?? ''}` } });
  if (!response.ok) throw new Error(`tar: ${response.status} ${await response.text()}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const memory = createServer(async (_request, reply) => {
    reply.writeHead(200, { 'content-type': 'application/x-tar', 'content-length': bytes.byteLength });
    for (let at = 0; at < bytes.byteLength && !reply.destroyed; at += SEND_CHUNK_BYTES)
      if (!reply.write(bytes.subarray(at, at + SEND_CHUNK_BYTES))) await Promise.race([once(reply, 'drain'), once(reply, 'close')]);
    reply.end();
  });
  await new Promise<void>((resolve) => memory.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = memory.address() as AddressInfo;
    return await inTurns(runs, warmup, curlInto(`http://127.0.0.1:${port}/`, ''), systemTar(dir));
  } finally {
    await new Promise((resolve) => memory.close(resolve));
  }
}

/** Through a pipe: GNU tar skips reading the files when it sees it writes to /dev/null. */
function systemTar(dir: string): () => Promise<unknown> {
  return () => run('sh', ['-c', `tar -cf - -C "${dir}" . | cat > /dev/null`]);
}

/**
 * Median wall times in ms of `a` and `b`, run in turns `runs` times (after a warm-up turn when
 * `warmup`), and the median of the turns' ratios (b / a): each compares runs made under the same
 * load, which the ratio of the two medians does not.
 */
async function inTurns(runs: number, warmup: boolean, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number, number]> {
  if (warmup) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    times[0].push(await timeMs(a));
    times[1].push(await timeMs(b));
  }
  return [median(times[0]), median(times[1]), median(times[0].map((ms, i) => times[1][i]! / ms))];
}

function ceilingResult(files: number, memoryMs: number, tarMs: number, ratio: number): BenchResult {
  return {
    ...ratioResult(`  the same tar from memory (bare node:http, curl)`, files, memoryMs, 'tar -cf - dir | cat', tarMs, undefined, ratio),
    note: 'for information: no database, no blob reads, no packing; the most any server streaming over HTTP to curl reaches here',
  };
}

/**
 * A files/s row against its baseline; held to `goal` (a ratio) when there is one. The ratio is
 * the turns' (see inTurns) when given, else that of the two times.
 */
function ratioResult(name: string, files: number, ms: number, baselineName: string, baselineMs: number, goal?: number, ratio = baselineMs / ms): BenchResult {
  return {
    name,
    value: (files / ms) * 1000,
    unit: 'files/s',
    baseline: { name: baselineName, value: (files / baselineMs) * 1000 },
    ratio,
    ...(goal === undefined ? {} : { target: target(`>= ${goal}x ${baselineName}`, ratio >= goal) }),
  };
}
