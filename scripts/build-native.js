#!/usr/bin/env node
// Compiles native/lifeline.c into build/rxo-lifeline (the parent-death supervisor, see
// src/process/lifeline.ts) with `cc` (or $CC), -O2 -Wall. Runs from the package's `install` script
// and from `npm run build`; it compiles only when the binary is missing or older than the source.
// A failed compile prints one warning and exits 0: the library then runs commands without the
// lifeline, with weaker guarantees (README, Guarantees). Linux only; elsewhere it does nothing.
//
//   node scripts/build-native.js [--force]
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, renameSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'native', 'lifeline.c');
const binary = join(root, 'build', 'rxo-lifeline');

function warn(why) {
  process.stderr.write(`rx-orchestration: warning: could not build the lifeline (${why}); processes will run without it, and will not be stopped if the host is killed\n`);
}

function main() {
  if (process.platform !== 'linux') return;
  if (!existsSync(source)) return warn(`${source} is missing`);
  const force = process.argv.includes('--force');
  if (!force && existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return;
  mkdirSync(join(root, 'build'), { recursive: true });
  const compiler = process.env.CC || 'cc';
  // Built under a temporary name and renamed: a running host never sees half a binary.
  const partial = `${binary}.${process.pid}.tmp`;
  const run = spawnSync(compiler, ['-O2', '-Wall', '-o', partial, source], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    rmSync(partial, { force: true });
    const said = run.error ? run.error.message : (run.stderr || '').trim().split('\n')[0] || `exit ${run.status}`;
    return warn(`${compiler}: ${said}`);
  }
  renameSync(partial, binary);
}

main();
