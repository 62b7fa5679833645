// Runs every compiled demo (dist-demos/*.js) one after another; fails if any demo fails.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const dir = join(__dirname, '..', 'dist-demos');
const demos = readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'agent-command.js').sort();
let failed = 0;
for (const demo of demos) {
  process.stdout.write(`\n### demos/${demo.replace(/\.js$/, '.ts')}\n`);
  const run = spawnSync(process.execPath, [join(dir, demo)], { stdio: 'inherit', timeout: 120000 });
  const ok = run.status === 0;
  if (!ok) failed += 1;
  process.stdout.write(`### ${ok ? 'ok' : `FAILED (exit ${run.status}, signal ${run.signal})`}: ${demo}\n`);
}
process.stdout.write(`\n${demos.length - failed} of ${demos.length} demos passed\n`);
process.exitCode = failed === 0 ? 0 : 1;
