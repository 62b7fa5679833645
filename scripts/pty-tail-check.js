// Measures what PLATFORM.md reports and terminal mode fixes: `seq 1 200000` (1.2 MB, one number
// a line) through a pseudo-terminal, exiting as soon as it has written. Counts whole outputs through plain node-pty and through rx-orchestration's terminal mode,
// in the same run. Usage: node scripts/pty-tail-check.js [runs]
const pty = require('node-pty');
const { CommandProcess } = require('../dist/index.js');

const runs = Number(process.argv[2] ?? 20);
const last = 200000;
const expected = `${Array.from({ length: last }, (_, i) => String(i + 1)).join('\n')}\n`;
const args = ['1', String(last)];

function rawPty() {
  return new Promise((resolve) => {
    let text = '';
    const term = pty.spawn('seq', args, { cols: 80, rows: 24, env: process.env });
    term.onData((data) => (text += data));
    // A terminal turns each \n into \r\n.
    term.onExit(() => resolve(text.replace(/\r\n/g, '\n') === expected));
  });
}

async function ours() {
  const result = await new CommandProcess({ command: 'seq', args, terminal: true }).run();
  return result.exitCode === 0 && result.output === expected;
}

async function count(run) {
  let whole = 0;
  for (let i = 0; i < runs; i += 1) if (await run()) whole += 1;
  return whole;
}

(async () => {
  const raw = await count(rawPty);
  const mine = await count(ours);
  console.log(`plain node-pty:              ${raw} of ${runs} runs delivered every line`);
  console.log(`rx-orchestration (terminal): ${mine} of ${runs} runs delivered every line`);
  process.exitCode = mine === runs ? 0 : 1;
})();
