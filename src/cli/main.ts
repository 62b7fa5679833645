#!/usr/bin/env node
/**
 * `orchestrate`: the command-line interface. The process's arguments, streams and environment
 * handed to `cli` (cli.ts); its exit code becomes the process's.
 */
import { hideBin } from 'yargs/helpers';
import { createRedactor, secretValues } from '../toolkit';
import { cli, EXIT } from './cli';
import { inertLines } from './render';

cli(hideBin(process.argv), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  get stdin() {
    return process.stdin;
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A last resort: still redacted of the host's secrets, and inert (it may quote a child's bytes).
    const text = error instanceof Error ? error.stack ?? error.message : String(error);
    process.stderr.write(`orchestrate: ${inertLines(createRedactor(secretValues(process.env))(text))}\n`);
    process.exitCode = EXIT.failed;
  },
);
