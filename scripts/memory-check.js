// Peak RSS of the host while one child writes 1 GiB to stdout, with the default maxBuffer (and
// optionally another): the figure behind the "bounded memory" guarantee.
// Usage: node scripts/memory-check.js [maxBuffer characters]   (after npm run build)
const { CommandProcess, defaults } = require('../dist/index.js');

const maxBuffer = Number(process.argv[2] ?? defaults.maxBuffer);
const GiB = 1024 * 1024 * 1024;

(async () => {
  const baseline = process.resourceUsage().maxRSS / 1024;
  const started = Date.now();
  const result = await new CommandProcess({
    command: 'sh',
    args: ['-c', `head -c ${GiB} /dev/zero | tr '\\0' x`],
    maxBuffer,
  }).run();
  const seconds = (Date.now() - started) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024;
  const received = result.output.length + (result.truncated?.stdoutDropped ?? 0);
  console.log(`child wrote:     ${(received / GiB).toFixed(2)} GiB in ${seconds.toFixed(1)} s (exit ${result.exitCode})`);
  console.log(`result kept:     ${(result.output.length / 1048576).toFixed(1)} MiB (maxBuffer ${maxBuffer} characters)`);
  console.log(`host peak RSS:   ${peak.toFixed(0)} MiB (${baseline.toFixed(0)} MiB before the run)`);
  process.exitCode = received === GiB && result.exitCode === 0 ? 0 : 1;
})();
