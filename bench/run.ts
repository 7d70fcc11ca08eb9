/**
 * Runs every `bench/*-bench.ts` (each a standalone script that prints its own
 * report) one after another and prints their reports with a summary.
 * Usage: `npm run bench` or `npm run bench -- <name-filter>`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith('-bench.ts') && name.includes(filter))
  .sort();

const summary: Array<{ bench: string; status: string; seconds: string }> = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const startedMs = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(benchDir, bench)],
    {
      stdio: 'inherit',
      env: { ...process.env, CELLVIT_LOG_LEVEL: process.env.CELLVIT_LOG_LEVEL ?? 'warn' },
    },
  );
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
  summary.push({
    bench,
    status: result.status === 0 ? 'ok' : `failed (${result.status ?? result.signal})`,
    seconds,
  });
}

console.log('\n=== summary ===');
console.table(summary);
process.exitCode = summary.every((s) => s.status === 'ok') ? 0 : 1;
