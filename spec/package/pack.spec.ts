/**
 * The package as a user gets it: `npm pack`, then the tarball installed (with rxjs) into a fresh
 * TypeScript ESM project and into a CommonJS project, each running a first program: a
 * CommandProcess and a ClaudeProcess on the simulated agent, through `runParallel`.
 *
 * SLOW (two `npm install`s, node-pty compiled by node-gyp in each): runs only when RXO_LONG_TESTS is
 * set, as CI does. Needs `npm run build` first (npm test's pretest does it) and the npm registry,
 * or npm's cache (--prefer-offline), for rxjs, @types/node and the package's own dependencies.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const long = process.env.RXO_LONG_TESTS ? describe : describe.skip;

/** The environment without what an enclosing `npm test` exports (npm_config_*, npm_lifecycle_*). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 240_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? `exit ${result.status}`}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** A new project directory with this package.json, the packed tarball and rxjs installed. */
function project(dir: string, packageJson: object, tarball: string, extra: readonly string[] = []): void {
  mkdirSync(dir);
  const allowScripts = { 'node-pty': true, 'rx-orchestration': true };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, ...packageJson, allowScripts }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'rxjs@^7.8.2', ...extra], dir);
}

/** The first program, as a user would write it: one command and one agent, side by side. */
const PROGRAM = `
const jobs = [
  new CommandProcess({ command: process.execPath, args: ['-e', 'console.log("hello from a command")'], processId: 'command' }),
  new ClaudeProcess({ prompt: 'Say hello', processId: 'agent', command: simulatedAgentPath }),
];
const results = await runParallel(jobs, { maxWorkers: 2 });
for (const r of inSubmissionOrder(results, jobs)) {
  console.log(JSON.stringify({ id: r.processId, exitCode: r.exitCode, output: r.output, turns: claudeRunOf(r)?.numTurns ?? null }));
}
`;

interface Line { id: string; exitCode: number; output: string; turns: number | null }

function expectFirstProgram(stdout: string): void {
  const lines = stdout.trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Line);
  expect(lines.map((l) => [l.id, l.exitCode])).toEqual([['command', 0], ['agent', 0]]);
  expect(lines[0].output).toBe('hello from a command\n');
  expect(lines[1].output).toContain('Say hello');
  expect(lines[1].turns).toBe(1);
}

long('the packed package', () => {
  let dir: string;
  let tarball: string;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'rxo-pack-'));
    // --ignore-scripts: pack what `npm run build` made; prepack would rebuild dist/ under other specs' feet.
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename);
    mkdirSync(join(dir, 'unpacked'));
    run('tar', ['-xzf', tarball, '-C', join(dir, 'unpacked')], dir);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('ships what runs, the license, the readme, and the sources its source maps point to', () => {
    const pkg = join(dir, 'unpacked', 'package');
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js',
      'dist/testing/simulated-agent.js', 'dist/cli/main.js', 'native/lifeline.c', 'scripts/build-native.js', 'src/index.ts']) {
      expect([file, existsSync(join(pkg, file))]).toEqual([file, true]);
    }
    const maps: string[] = [];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(d, entry.name));
        else if (entry.name.endsWith('.js.map')) maps.push(join(d, entry.name));
      }
    };
    walk(join(pkg, 'dist'));
    expect(maps.length).toBeGreaterThan(50);
    const unresolved = maps.flatMap((map) => (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources
      .map((source) => resolve(dirname(map), source))
      .filter((source) => !existsSync(source)));
    expect(unresolved).toEqual([]);
    expect(existsSync(join(pkg, 'spec'))).toBe(false);
    expect(existsSync(join(pkg, 'bench'))).toBe(false);
  });

  test('a TypeScript ESM project: type-checks with module nodenext, imports by name, runs the first program', () => {
    const esm = join(dir, 'esm');
    project(esm, { name: 'esm-user', type: 'module' }, tarball, ['@types/node@^20']);
    writeFileSync(join(esm, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, outDir: 'out', types: ['node'] },
      include: ['main.ts', 'names.ts'],
    }));
    writeFileSync(join(esm, 'main.ts'), `import { ClaudeProcess, claudeRunOf, CommandProcess, inSubmissionOrder, runParallel } from 'rx-orchestration';
import { simulatedAgentPath } from 'rx-orchestration/testing';
${PROGRAM}`);
    // Every name the CommonJS build exports must be importable by name from ESM (cjs-module-lexer).
    writeFileSync(join(esm, 'names.ts'), `import { createRequire } from 'node:module';
import * as root from 'rx-orchestration';
import * as testing from 'rx-orchestration/testing';
import * as toolkit from 'rx-orchestration/toolkit';
const require = createRequire(import.meta.url);
const missing = [
  ...Object.keys(require('rx-orchestration')).filter((name) => !(name in root)),
  ...Object.keys(require('rx-orchestration/testing')).filter((name) => !(name in testing)).map((name) => \`testing.\${name}\`),
  ...Object.keys(require('rx-orchestration/toolkit')).filter((name) => !(name in toolkit)).map((name) => \`toolkit.\${name}\`),
];
console.log(JSON.stringify({ exported: Object.keys(root).length, missing }));
`);
    run(process.execPath, [TSC, '-p', esm], esm);
    expectFirstProgram(run(process.execPath, ['out/main.js'], esm, 60_000).stdout);
    const names = JSON.parse(run(process.execPath, ['out/names.js'], esm, 60_000).stdout) as { exported: number; missing: string[] };
    expect(names.missing).toEqual([]);
    expect(names.exported).toBeGreaterThan(10);
    if (process.platform === 'linux') expect(existsSync(join(esm, 'node_modules', 'rx-orchestration', 'build', 'rxo-lifeline'))).toBe(true);
  }, 300_000);

  test('a CommonJS project: require() runs the first program, and the orchestrate bin works', () => {
    const cjs = join(dir, 'cjs');
    project(cjs, { name: 'cjs-user' }, tarball);
    writeFileSync(join(cjs, 'main.js'), `const { ClaudeProcess, claudeRunOf, CommandProcess, inSubmissionOrder, runParallel } = require('rx-orchestration');
const { simulatedAgentPath } = require('rx-orchestration/testing');
async function main() {${PROGRAM}}
main().catch((error) => { console.error(error); process.exitCode = 1; });
`);
    expectFirstProgram(run(process.execPath, ['main.js'], cjs, 60_000).stdout);
    const cli = run(join(cjs, 'node_modules', '.bin', 'orchestrate'), ['run', '--exec', '--json', 'echo from-the-bin'], cjs, 60_000);
    const events = cli.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; chunk?: string; result?: { exitCode: number } });
    expect(events.filter((e) => e.type === 'output').map((e) => e.chunk).join('')).toBe('from-the-bin\n');
    expect(events.find((e) => e.type === 'result')?.result?.exitCode).toBe(0);
  }, 300_000);
});
