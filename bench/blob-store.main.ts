/**
 * `npx tsx bench/blob-store.main.ts [--large] [--work-dir=<dir>]`
 *
 * Runs only the blob store benchmark and prints its table (bench/index.ts runs everything).
 */
import { join } from 'node:path';
import { benchBlobStore } from './blob-store.ts';

const args = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
const workDir = args.find((a) => a.startsWith('--work-dir='))?.slice('--work-dir='.length) ?? join(root, '.sheaf', 'bench');
const results = await benchBlobStore({
  large: args.includes('--large'),
  workDir,
  log: (line) => process.stderr.write(`  ${line}\n`),
});

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
const rows = results.map((r) => [
  r.name,
  `${fmt(r.value)} ${r.unit}`,
  r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit}` : '',
  r.ratio !== undefined ? `${fmt(r.ratio)}x` : '',
  r.target ? `${r.target.text}: ${r.target.met ? 'met' : 'MISSED'}` : '',
]);
const head = ['benchmark', 'value', 'baseline (same run)', 'ratio', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line(row));
for (const r of results) if (r.note) console.log(`${r.name}: ${r.note}`);
