/**
 * The scripted Claude CLI of the Claude specs: spec/fixtures/claude-lines.js copied to an
 * executable named `claude` (its `#!` line pointing at this Node), so a ClaudeProcess can run it
 * as its command and print the lines a spec gives it. Also checks the built simulated agent.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers';

/** The built simulated agent (dist/), which `npm run build` makes. */
export const SIMULATED_AGENT = join(__dirname, '..', '..', '..', 'dist', 'testing', 'simulated-agent.js');

/** Writes the scripted `claude` into `dir` and returns its path; fails when the simulated agent is not built. */
export function scriptedClaude(dir: string): string {
  if (!existsSync(SIMULATED_AGENT)) throw new Error(`${SIMULATED_AGENT} is missing: run \`npm run build\` first`);
  const path = join(dir, 'claude');
  writeFileSync(path, readFileSync(fixture('claude-lines.js'), 'utf8').replace(/^#!.*\n/, `#!${process.execPath}\n`));
  chmodSync(path, 0o755);
  return path;
}
