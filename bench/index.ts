/**
 * `npm run bench [-- --large] [-- --only=<substring>] [-- --db=pglite,postgres]`
 *
 * Runs every benchmark, prints one table, and writes bench/results/latest.json
 * (name → value, unit, baseline, ratio, target). Baselines are measured in the same run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchBlobStore } from './blob-store.ts';
import { benchPushExport } from './push-export.ts';
import { benchIngest } from './ingest.ts';
import { benchLabelExport } from './label-export.ts';
import { benchLabeling } from './labeling.ts';
import { benchLabelingUi } from './labeling-ui.ts';
import { benchProvision } from './provision.ts';
import { benchTransforms } from './transforms.ts';
import type { BenchResult } from './result.ts';
import { benchVersioning, type BenchDatabase } from './versioning.ts';

const args = process.argv.slice(2);
const large = args.includes('--large');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const databases = (args.find((a) => a.startsWith('--db='))?.slice('--db='.length) ?? 'pglite,postgres').split(',') as BenchDatabase[];
const root = new URL('..', import.meta.url).pathname;
const log = (line: string) => process.stderr.write(`  ${line}\n`);

type Suite = { name: string; run: () => Promise<BenchResult[]> };
const suites: Suite[] = [];
for (const database of databases)
  suites.push({ name: `versioning-${database}`, run: () => benchVersioning({ large, database, log }) });
suites.unshift({ name: 'blob-store', run: () => benchBlobStore({ large, workDir: join(root, '.sheaf', 'bench') }) });
suites.push({ name: 'push-export', run: () => benchPushExport({ large, workDir: join(root, '.sheaf', 'bench'), log }) });
for (const database of databases)
  suites.push({ name: `ingest-${database}`, run: () => benchIngest({ large, database, workDir: join(root, '.sheaf', 'bench'), log }) });
for (const database of databases)
  suites.push({ name: `labeling-${database}`, run: () => benchLabeling({ large, database, log }) });
suites.push({ name: 'provision', run: () => benchProvision({ large, workDir: join(root, '.sheaf', 'bench'), log }) });
suites.push({ name: 'transforms', run: () => benchTransforms({ large, workDir: join(root, '.sheaf', 'bench'), log }) });
for (const database of databases)
  suites.push({ name: `label-export-${database}`, run: () => benchLabelExport({ large, database, workDir: join(root, '.sheaf', 'bench'), log }) });
suites.push({ name: 'labeling-ui', run: () => benchLabelingUi({ large, workDir: join(root, '.sheaf', 'bench'), log }) });

const results: BenchResult[] = [];
for (const suite of suites) {
  if (only && !suite.name.includes(only)) continue;
  process.stderr.write(`${suite.name}${large ? ' (large)' : ''}\n`);
  results.push(...(await suite.run()));
}

printTable(results);
await mkdir(join(root, 'bench', 'results'), { recursive: true });
const json = Object.fromEntries(results.map((r) => [r.name, { value: r.value, unit: r.unit, baseline: r.baseline, ratio: r.ratio, target: r.target, note: r.note }]));
await writeFile(join(root, 'bench', 'results', 'latest.json'), JSON.stringify({ large, at: new Date().toISOString(), results: json }, null, 2) + '\n');
process.exit(0);

function printTable(rows: BenchResult[]) {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
  const table = rows.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}` : '',
    r.ratio !== undefined ? `${fmt(r.ratio)}×` : '',
    r.target ? `${r.target.text} ${r.target.met ? 'met' : 'MISSED'}` : '',
  ]);
  const head = ['benchmark', 'value', 'baseline (same run)', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of table) console.log(line(row));
  for (const r of rows) if (r.note) console.log(`${r.name}: ${r.note}`);
}
