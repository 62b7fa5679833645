// Marks the built executables as such (tsc does not keep file modes).
const { chmodSync, existsSync } = require('node:fs');
const { join } = require('node:path');

for (const file of ['dist/cli/main.js', 'dist/testing/simulated-agent.js']) {
  const path = join(__dirname, '..', file);
  if (existsSync(path)) chmodSync(path, 0o755);
}
