// Spawn overhead: `count` runs of /bin/true, `workers` at a time. Variants:
//   ours          runParallel over CommandProcess (pipes), every event consumed
//   ours-terminal the same with terminal: true
//   ours-no-lifeline, ours-terminal-no-lifeline   the same two with RXO_LIFELINE=0 (no supervisor)
//   ours-fast, ours-fast-no-lifeline   `ours` with RXO_SPAWNER=fast (posix_spawn addon, the default), with and without the lifeline
//   ours-node     `ours` with RXO_SPAWNER=node (child_process.spawn)
//   fast          a plain loop over the posix_spawn addon itself (build/rxo-spawner.node), same stdio
//   ours-logdir   CommandProcess with `logDir` (a full log file per process)
//   ours-session  CommandProcess made by an OrchestratorSession (full log, job log, session log)
//   claude, claude-logdir, claude-session   ClaudeProcess (stream-json parsing), the same three ways,
//                 on bench/fixtures/stream-json-result (a shell script printing an init and a result line)
//   node          a plain child_process.spawn loop with the same concurrency and the same stdio
//   node-claude   the same loop spawning the stream-json fixture (the Claude rows' baseline)
//   pty           a plain node-pty loop with the same concurrency
//   xargs, parallel   `xargs -P` / GNU `parallel -j`, spawned and waited for (whole tool)
// Reports seconds from the first spawn to the last end, open descriptors before and after, and the
// host's peak RSS. A session variant's time includes closing the session (its logs flushed).
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { args, cpuSeconds, childCpuSeconds, pool, check, report, openFds, peakRssMiB } = require('../lib');

const { variant, count: countText = '500', workers: workersText = '8' } = args();
const count = Number(countText);
const workers = Number(workersText);
const TRUE = '/bin/true';
const STREAM_JSON = join(__dirname, '..', 'fixtures', 'stream-json-result');

function nodeOne(program = TRUE) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

function ptyOne(pty) {
  return new Promise((resolve, reject) => {
    const term = pty.spawn(TRUE, [], { name: 'xterm-256color', cols: 80, rows: 24, env: process.env });
    term.onData(() => undefined);
    term.onExit(({ exitCode }) => (exitCode === 0 ? resolve() : reject(new Error(`exit ${exitCode}`))));
  });
}

/** One run through the addon (what `ours-fast` starts from), read as nodeOne reads. */
function fastLoop() {
  const { Socket } = require('node:net');
  const addon = require('../../build/rxo-spawner.node');
  const waiting = new Map();
  const spawner = addon.init((pid, code) => {
    waiting.get(pid)(code);
    waiting.delete(pid);
  });
  const envp = Object.entries(process.env).map(([name, value]) => `${name}=${value}`);
  const one = () =>
    new Promise((resolve, reject) => {
      const started = addon.spawn(spawner, TRUE, [TRUE], envp, process.cwd(), false);
      if (typeof started === 'number') return reject(new Error(`spawn errno ${started}`));
      let open = 3;
      let code;
      const settle = () => (open -= 1) === 0 && (code === 0 ? resolve() : reject(new Error(`exit ${code}`)));
      for (const fd of started.slice(2)) {
        const stream = new Socket({ fd, readable: true, writable: false });
        stream.on('data', () => undefined);
        stream.on('close', settle);
      }
      waiting.set(started[0], (exitCode) => {
        code = exitCode;
        settle();
      });
    });
  one.ref = () => addon.ref(spawner);
  one.unref = () => addon.unref(spawner);
  return one;
}

function tool(command, toolArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, toolArgs, { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
    child.stdin.end(`${Array.from({ length: count }, (_, i) => i).join('\n')}\n`);
  });
}

/** Our variants: `make(i)` builds the i-th process (a session's when `session` is set). */
function oursVariant() {
  if (variant.endsWith('-no-lifeline')) process.env.RXO_LIFELINE = '0';
  if (variant === 'ours-node') process.env.RXO_SPAWNER = 'node';
  if (variant.startsWith('ours-fast')) {
    process.env.RXO_SPAWNER = 'fast';
    // Without the addon the library falls back to Node's spawn: that would measure the wrong thing.
    check(require('node:fs').existsSync(require.resolve('../../build/rxo-spawner.node')), 'the fast spawner is built');
  }
  const { CommandProcess, ClaudeProcess, OrchestratorSession, runParallel } = require('rx-orchestration');
  const claude = variant.startsWith('claude');
  const terminal = variant.startsWith('ours-terminal');
  const logged = variant.endsWith('-logdir') ? 'logdir' : variant.endsWith('-session') ? 'session' : undefined;
  const root = logged ? mkdtempSync(join(tmpdir(), 'rxo-bench-spawn-')) : undefined;
  const session = logged === 'session' ? new OrchestratorSession({ patternName: 'bench', logRoot: root, command: STREAM_JSON }) : undefined;
  const logDir = logged === 'logdir' ? root : undefined;
  const make = (i) => {
    const processId = `p${i}`;
    if (claude) return session ? session.createProcess('say ok', processId) : new ClaudeProcess({ prompt: 'say ok', command: STREAM_JSON, processId, logDir });
    return session ? session.createCommand(TRUE, [], processId) : new CommandProcess({ command: TRUE, processId, terminal, logDir });
  };
  const check1 = (r) => r.exitCode === 0 && (!claude || r.claude?.subtype === 'success');
  return {
    warmUp: async () => check(check1(await make('warm-up').run()), 'the warm-up run succeeds'),
    run: async () => {
      const processes = Array.from({ length: count }, (_, i) => make(i));
      const results = await runParallel(processes, { maxWorkers: workers });
      if (session) await session.close();
      check(results.length === count && results.every(check1), 'every run succeeds');
    },
    cleanUp: () => root && rmSync(root, { recursive: true, force: true }),
  };
}

async function main() {
  let fastUnref;
  let run;
  let warmUp;
  let cleanUp;
  if (variant.startsWith('ours') || variant.startsWith('claude')) {
    ({ run, warmUp, cleanUp } = oursVariant());
  } else if (variant === 'node' || variant === 'node-claude') {
    const program = variant === 'node' ? TRUE : STREAM_JSON;
    warmUp = () => nodeOne(program);
    run = () => pool(count, workers, () => nodeOne(program));
  } else if (variant === 'fast') {
    const fast = fastLoop();
    fastUnref = fast.unref;
    warmUp = fast;
    run = () => pool(count, workers, fast);
    fast.ref(); // pending exits keep the loop alive (the library refs while children run)
  } else if (variant === 'pty') {
    const pty = require('node-pty');
    warmUp = () => ptyOne(pty);
    run = () => pool(count, workers, () => ptyOne(pty));
  } else if (variant === 'xargs') {
    run = () => tool('xargs', ['-P', String(workers), '-n', '1', TRUE]);
  } else if (variant === 'parallel') {
    run = () => tool('parallel', ['--will-cite', '-j', String(workers), TRUE]);
  } else {
    throw new Error(`unknown variant ${variant}`);
  }
  // One run first, by the same means: one-time costs (libuv's child signal pipe, the first
  // compile of the code) are not spawn overhead, and the descriptor count starts after them.
  if (warmUp) await warmUp();
  const fdsBefore = openFds();
  const cpuBefore = process.cpuUsage();
  const childCpuBefore = childCpuSeconds();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(cpuBefore);
  const childCpu = childCpuSeconds() - childCpuBefore;
  // Handles close on the next turns of the loop; give them a moment before counting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  // The tools' own CPU time is not ours to see: their rows show wall time only.
  const isTool = variant === 'xargs' || variant === 'parallel';
  const fdsAfter = openFds();
  if (fastUnref) fastUnref();
  cleanUp?.();
  report({ seconds, ...(isTool ? {} : { cpu }), childCpu, fdsBefore, fdsAfter, peakRssMiB: peakRssMiB() });
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
