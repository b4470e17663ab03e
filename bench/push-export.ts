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

/**
 * The CLI against a real server (embedded database): `sheaf push` of N small files versus
 * `cp -r` and `sha256sum` of the same tree, a re-push of the unchanged tree, and `sheaf export`
 * versus `cp -r`. The CLI runs as a child process, as users run it.
 */
export async function benchPushExport(options: { large: boolean; workDir: string; log?: (line: string) => void }): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  const files = options.large ? 100_000 : 10_000;
  await mkdir(options.workDir, { recursive: true });
  const work = await mkdtemp(join(options.workDir, 'push-'));
  const source = join(work, 'source');
  log(`writing ${files} files of 4 KiB…`);
  for (let dir = 0; dir * 1000 < files; dir++) {
    await mkdir(join(source, `d${dir}`), { recursive: true });
    await Promise.all(
      Array.from({ length: Math.min(1000, files - dir * 1000) }, (_, i) => writeFile(join(source, `d${dir}`, `f${i}.bin`), randomBytes(4096))),
    );
  }
  const server = await startServer(loadConfig({}, { port: 0, dataDir: join(work, 'server'), logLevel: 'silent' }));
  // The CLI acts as the administrator the first start created.
  const env = { ...process.env, SHEAF_TOKEN: server.bootstrapToken ?? '' };
  const sheaf = (...args: string[]) =>
    run(process.execPath, [sheafBin, ...args, '--server', server.url, '--json'], { maxBuffer: 64 * 1024 * 1024, env });
  try {
    const results: BenchResult[] = [];
    await sheaf('dataset', 'create', 'bench');
    log('cp -r and sha256sum baselines…');
    const cpMs = await timeMs(() => run('cp', ['-r', source, join(work, 'copy')]));
    const shaMs = await timeMs(() => run('sh', ['-c', `find "${source}" -type f -print0 | xargs -0 sha256sum > /dev/null`]));
    log('sheaf push…');
    const pushMs = await timeMs(() => sheaf('push', source, '--dataset', 'bench', '-m', 'bench'));
    results.push({
      name: `sheaf push ${files} files of 4 KiB`,
      value: (files / pushMs) * 1000,
      unit: 'files/s',
      baseline: { name: 'cp -r', value: (files / cpMs) * 1000 },
      ratio: cpMs / pushMs,
      note: `sha256sum of the same files: ${((files / shaMs) * 1000).toFixed(0)} files/s; push took ${(pushMs / shaMs).toFixed(1)}x sha256sum`,
    });
    log('re-push of the unchanged tree…');
    let uploaded = -1;
    const repushMs = await timeMs(async () => {
      uploaded = JSON.parse((await sheaf('push', source, '--dataset', 'bench', '-m', 'again')).stdout).uploadedBytes;
    });
    results.push({
      name: `sheaf re-push of ${files} unchanged files`,
      value: repushMs / 1000,
      unit: 's',
      baseline: { name: 'sha256sum of the tree', value: shaMs / 1000 },
      ratio: repushMs / shaMs,
      target: target('uploads nothing', uploaded === 0),
    });
    log('sheaf export…');
    const exportMs = await timeMs(() => sheaf('export', 'bench@main', join(work, 'exported')));
    results.push({
      name: `sheaf export ${files} files of 4 KiB`,
      value: (files / exportMs) * 1000,
      unit: 'files/s',
      baseline: { name: 'cp -r', value: (files / cpMs) * 1000 },
      ratio: cpMs / exportMs,
    });
    return results;
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}
