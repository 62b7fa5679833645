/**
 * The checks made before anything runs, in the flags' own terms (`--max-workers must be ...`):
 * each throws a TypeError, which the CLI reports as a usage error (exit 2).
 */
import { statSync } from 'node:fs';
import type { CliOptions } from './cli-options';
import { splitCommand } from './split-command';
import { checkWorkspaceFlags } from './workspace-flags';

const positiveInteger = (value: number): boolean => Number.isInteger(value) && value > 0;
const seconds = (value: number): boolean => Number.isFinite(value) && value >= 0;

function check(ok: boolean, flag: string, expectation: string, value: unknown): void {
  if (!ok) throw new TypeError(`--${flag} must be ${expectation}, received ${String(value)}`);
}

/** The numbers given: in range. */
function checkNumbers(options: CliOptions): void {
  const { maxWorkers, batchSize, timeout, startDelay, killGrace } = options;
  if (typeof maxWorkers === 'number') check(positiveInteger(maxWorkers), 'max-workers', 'a positive integer or auto', maxWorkers);
  if (batchSize !== undefined) check(positiveInteger(batchSize), 'batch-size', 'a positive integer', batchSize);
  if (timeout !== undefined) check(seconds(timeout), 'timeout', 'a finite number of seconds, 0 or more (0: no timeout)', timeout);
  if (startDelay !== undefined) check(seconds(startDelay), 'start-delay', 'a number of seconds, 0 or more', startDelay);
  if (killGrace !== undefined) check(seconds(killGrace), 'kill-grace', 'a number of seconds, 0 or more', killGrace);
  const retry = options.retry;
  if (retry) {
    check(Number.isInteger(retry.count) && retry.count >= 0, 'retries', 'a whole number, 0 or more', retry.count);
    if (retry.delayMs !== undefined) check(seconds(retry.delayMs / 1000), 'retry-delay', 'a number of seconds, 0 or more', retry.delayMs / 1000);
    if (retry.maxDelayMs !== undefined) check(seconds(retry.maxDelayMs / 1000), 'retry-max-delay', 'a number of seconds, 0 or more', retry.maxDelayMs / 1000);
  }
}

/** `--names`: one per item, unique, usable as a log file name. */
function checkNames(options: CliOptions): void {
  const names = options.names;
  if (names === undefined || options.command === 'demo' || options.command === 'resume') {
    if (names !== undefined) throw new TypeError(`--names applies to run, parallel, sequential, fallback and batched, not ${options.command}`);
    return;
  }
  if (names.length !== options.items.length) {
    throw new TypeError(`--names must name every process: ${names.length} name(s) for ${options.items.length} ${options.exec ? 'command(s)' : 'prompt(s)'}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new TypeError(`--names: ${JSON.stringify(name)} cannot name a process (no empty name, '/', '.' or '..')`);
    }
    if (seen.has(name)) throw new TypeError(`--names: ${JSON.stringify(name)} is given twice; each process needs its own name`);
    seen.add(name);
  }
}

export function checkCliOptions(options: CliOptions): void {
  const { command } = options;
  if (options.halt && (command === 'sequential' || command === 'fallback')) throw new TypeError(`--halt applies to parallel and batched, not ${command}`);
  const resumeOnly = Object.entries({ '--kill-stale': options.resumeFlags?.killStale, '--yes': options.resumeFlags?.yes, '--trust-plan': options.resumeFlags?.trustPlan });
  const misplaced = command === 'resume' ? [] : resumeOnly.filter(([, on]) => on).map(([flag]) => flag);
  if (misplaced.length > 0) throw new TypeError(`${misplaced.join(', ')} applies to resume only, not ${command}`);
  checkNumbers(options);
  if (command !== 'demo' && command !== 'resume' && options.items.length === 0) {
    throw new TypeError(`nothing to run: ${options.exec ? 'no commands were given (stdin had no command lines)' : 'no prompts were given'}`);
  }
  if (command === 'run' && options.items.length !== 1) throw new TypeError(`run takes one ${options.exec ? 'command' : 'prompt'}, received ${options.items.length}`);
  if (options.exec && command !== 'resume') options.items.forEach(splitCommand);
  checkNames(options);
  checkWorkspaceFlags(options);
  // A working directory that does not exist is a mistake, not something to create.
  if (!statSync(options.workingDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new TypeError(`--working-dir ${JSON.stringify(options.workingDir)} does not exist or is not a directory`);
  }
}
