// Throughput: one process writing `bytes` bytes of 100-character lines. Variants:
//   ours-pipe      CommandProcess.run() on pipes (default maxBuffer; every chunk through the events)
//   ours-pipe-log  the same with a per-process winston file log (logDir)
//   ours-terminal  the same with terminal: true
//   raw-pipe       child_process.spawn, counting the bytes of each 'data' chunk
//   raw-pipe-text  the same, decoded to strings (setEncoding('utf8')), counting characters
//   raw-pty        node-pty, counting the characters of each onData chunk
// Reports seconds, MB/s (10^6 bytes) and the host's peak RSS.
const { mkdtempSync, readdirSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { spawn } = require('node:child_process');
const { args, cpuSeconds, check, report, peakRssMiB, writerCommand } = require('../lib');

const { variant, bytes: bytesText = String(200e6), maxBuffer: maxBufferText } = args();
const bytes = Number(bytesText);
const [command, commandArgs] = writerCommand(bytes);

function rawPipe(asText) {
  return new Promise((resolve, reject) => {
    let received = 0;
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    // As text: what any reader that hands out strings pays (the output here is ASCII, so
    // characters and bytes count the same).
    if (asText) child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data) => (received += data.length));
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', () => resolve(received));
  });
}

function rawPty() {
  return new Promise((resolve) => {
    let received = 0;
    const term = pty.spawn(command, commandArgs, { name: 'xterm-256color', cols: 80, rows: 24, env: process.env });
    term.onData((data) => (received += data.length));
    // Every '\n' arrives as '\r\n'; node-pty may drop the tail at exit (PLATFORM.md): count what came.
    term.onExit(() => resolve(Math.round(received * (100 / 101))));
  });
}

// Loaded before the clock starts, like the baselines' modules.
const { CommandProcess } = variant.startsWith('ours') ? require('rx-orchestration') : {};
const pty = variant === 'raw-pty' ? require('node-pty') : undefined;

async function ours(options) {
  const maxBuffer = maxBufferText === undefined ? undefined : Number(maxBufferText);
  const result = await new CommandProcess({ command, args: commandArgs, maxBuffer, ...options }).run();
  check(result.exitCode === 0, `exit code ${result.exitCode}: ${result.error}`);
  const received = result.output.length + (result.truncated?.stdoutDropped ?? 0);
  check(received === bytes, `received ${received} of ${bytes} characters`);
  return received;
}

async function main() {
  let run;
  let logDir;
  if (variant === 'raw-pipe') run = () => rawPipe(false);
  else if (variant === 'raw-pipe-text') run = () => rawPipe(true);
  else if (variant === 'raw-pty') run = rawPty;
  else if (variant === 'ours-pipe') run = () => ours({});
  else if (variant === 'ours-terminal') run = () => ours({ terminal: true });
  else if (variant === 'ours-pipe-log') {
    logDir = mkdtempSync(join(tmpdir(), 'rxo-bench-log-'));
    run = () => ours({ logDir, processId: 'writer' });
  } else throw new Error(`unknown variant ${variant}`);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const received = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(cpuBefore);
  const figures = { seconds, cpu, mbps: received / 1e6 / seconds, peakRssMiB: peakRssMiB() };
  if (logDir) {
    // The log holds every line, each with a timestamp, a level and "stdout | ": more than the output.
    const size = readdirSync(logDir).reduce((sum, f) => sum + statSync(join(logDir, f)).size, 0);
    check(size > bytes, `log holds ${size} bytes for ${bytes} bytes of output`);
    figures.logBytes = size;
    rmSync(logDir, { recursive: true, force: true });
  }
  report(figures);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
