// Marks the built executables as such (tsc does not keep file modes).
const { chmodSync, existsSync } = require('node:fs');
const { join } = require('node:path');

for (const file of ['dist/cli/main.js', 'dist/testing/simulated-agent.js']) {
  const path = join(__dirname, '..', file);
  if (existsSync(path)) chmodSync(path, 0o755);
}

// Protocol v1's JSON Schema as a file in the package (dist/events/event-schema.json), written
// from the module that exports it, so the two cannot differ.
const { writeFileSync } = require('node:fs');
const { eventSchema } = require('../dist/events/event-schema.js');
writeFileSync(join(__dirname, '..', 'dist', 'events', 'event-schema.json'), `${JSON.stringify(eventSchema, null, 2)}\n`);

// The dashboard's page (plain HTML, CSS and JavaScript) next to its module in dist.
const { cpSync } = require('node:fs');
cpSync(join(__dirname, '..', 'src', 'dashboard', 'page'), join(__dirname, '..', 'dist', 'dashboard', 'page'), { recursive: true });
