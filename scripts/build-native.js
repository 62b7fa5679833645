#!/usr/bin/env node
// Compiles the native pieces with `cc` (or $CC), -O2 -Wall:
//  - native/lifeline.c into build/rxo-lifeline (the parent-death supervisor, src/process/spawn/lifeline.ts);
//  - native/spawner.c into build/rxo-spawner.node (the posix_spawn addon, src/process/spawn/fast-spawn.ts),
//  - native/bytes.c into build/rxo-bytes.node (log lines and terminal newlines, src/process/text/byte-lines.ts),
//    both against the Node-API headers of the Node that runs this script (<prefix>/include/node).
// Runs from the package's `install` script and from `npm run build`; each is compiled only when its
// output is missing or older than its source. A failed compile prints one warning and exits 0: the
// library then runs commands without that piece (README, Guarantees; the spawner falls back to
// Node's own spawn). Linux only; elsewhere it does nothing.
//
//   node scripts/build-native.js [--force]
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, renameSync, rmSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const nodeHeaders = join(dirname(dirname(process.execPath)), 'include', 'node');

const PIECES = [
  {
    source: join(root, 'native', 'lifeline.c'),
    output: join(root, 'build', 'rxo-lifeline'),
    flags: [],
    // Linked statically where libc.a is installed: no dynamic loader at each start (about 20 % less
    // CPU per lifeline start, measured in the bench's spawn scenario); dynamically otherwise.
    preferred: ['-static'],
    fallback: 'processes will run without it, and will not be stopped if the host is killed',
    name: 'the lifeline',
  },
  {
    source: join(root, 'native', 'spawner.c'),
    output: join(root, 'build', 'rxo-spawner.node'),
    flags: ['-shared', '-fPIC', '-pthread', `-I${nodeHeaders}`],
    needs: join(nodeHeaders, 'node_api.h'),
    fallback: "RXO_SPAWNER=fast will use Node's own spawn",
    name: 'the fast spawner',
  },
  {
    source: join(root, 'native', 'bytes.c'),
    output: join(root, 'build', 'rxo-bytes.node'),
    flags: ['-shared', '-fPIC', `-I${nodeHeaders}`],
    needs: join(nodeHeaders, 'node_api.h'),
    fallback: 'process logs and terminal output will be processed in JavaScript (slower)',
    name: 'the byte helpers',
  },
];

function warn(piece, why) {
  process.stderr.write(`rx-orchestration: warning: could not build ${piece.name} (${why}); ${piece.fallback}\n`);
}

function build(piece, force) {
  if (!existsSync(piece.source)) return warn(piece, `${piece.source} is missing`);
  if (piece.needs && !existsSync(piece.needs)) return warn(piece, `${piece.needs} is missing`);
  if (!force && existsSync(piece.output) && statSync(piece.output).mtimeMs >= statSync(piece.source).mtimeMs) return;
  mkdirSync(join(root, 'build'), { recursive: true });
  const compiler = process.env.CC || 'cc';
  // Built under a temporary name and renamed: a running host never sees half a binary.
  const partial = `${piece.output}.${process.pid}.tmp`;
  const compile = (extra) => spawnSync(compiler, ['-O2', '-Wall', ...piece.flags, ...extra, '-o', partial, piece.source], { encoding: 'utf8' });
  let run = piece.preferred ? compile(piece.preferred) : undefined;
  if (!run || run.error || run.status !== 0) run = compile([]);
  if (run.error || run.status !== 0) {
    rmSync(partial, { force: true });
    const said = run.error ? run.error.message : (run.stderr || '').trim().split('\n')[0] || `exit ${run.status}`;
    return warn(piece, `${compiler}: ${said}`);
  }
  renameSync(partial, piece.output);
}

function main() {
  if (process.platform !== 'linux') return;
  const force = process.argv.includes('--force');
  for (const piece of PIECES) build(piece, force);
}

main();
