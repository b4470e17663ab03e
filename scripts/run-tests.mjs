#!/usr/bin/env node
// Runs every tests/**/*.test.ts in its own process (a hung handle or a crash in one file
// cannot hide the others), two at a time, and ends with one line "N passed, N failed"
// counted from uvu's own summaries. Exits non-zero on any failure.
//
// Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpus } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.max(1, Math.min(2, cpus().length)));
const fileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 15 * 60_000);

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...findTests(full));
    else if (name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const files = findTests(join(root, 'tests')).filter(
  (f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)),
);

// uvu prints "Total: N / Passed: N / Skipped: N" once per process.
const ansi = /\x1b\[[0-9;]*m/g;
function summaryOf(output) {
  const text = output.replace(ansi, '');
  const total = text.match(/^\s*Total:\s+(\d+)/m);
  const passed = text.match(/^\s*Passed:\s+(\d+)/m);
  const skipped = text.match(/^\s*Skipped:\s+(\d+)/m);
  if (!total || !passed) return null;
  return { total: +total[1], passed: +passed[1], skipped: skipped ? +skipped[1] : 0 };
}

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[runner] ${relative(root, file)} timed out after ${fileTimeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, fileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ file, code, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const queue = [...files];
async function worker() {
  for (let file = queue.shift(); file; file = queue.shift()) {
    const result = await runFile(file);
    const summary = summaryOf(result.output);
    let fileFailed = summary ? summary.total - summary.passed - summary.skipped : 1;
    // A process that crashed after its summary, or exited non-zero with all passed, still failed.
    if (result.code !== 0 && fileFailed === 0) fileFailed = 1;
    passed += summary?.passed ?? 0;
    skipped += summary?.skipped ?? 0;
    failed += fileFailed;
    const status = fileFailed ? 'FAIL' : 'ok  ';
    process.stdout.write(`\n=== ${status} ${relative(root, result.file)} (${result.seconds.toFixed(1)} s)\n`);
    process.stdout.write(result.output.trimEnd() + '\n');
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

if (files.length === 0) {
  failed += 1;
  console.log('no test files found');
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
