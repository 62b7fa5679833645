// Bad strategy options: a TypeError naming the option and the value received, before anything spawns.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { batched, runBatched } from '../../src/strategies/batched';
import { fallback, runWithFallback } from '../../src/strategies/fallback';
import { parallel, runParallel } from '../../src/strategies/parallel';
import { runSequential, sequential } from '../../src/strategies/sequential';
import { tempDirs } from '../helpers';
import { touches } from './helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('strategy options are checked when the operator is created', () => {
  it.each([
    ['parallel({ maxWorkers: 0 })', () => parallel({ maxWorkers: 0 }), /maxWorkers must be a positive integer.*received 0 \(number\)/],
    ['parallel({ maxWorkers: 2.5 })', () => parallel({ maxWorkers: 2.5 }), /maxWorkers .*received 2\.5 \(number\)/],
    ['parallel({ maxWorkers: NaN })', () => parallel({ maxWorkers: NaN }), /maxWorkers .*received NaN \(number\)/],
    ['parallel({ timeout: -5 })', () => parallel({ timeout: -5 }), /timeout must be .*received -5 \(number\)/],
    ['batched({ batchSize: -1 })', () => batched({ batchSize: -1 }), /batchSize must be a positive integer, received -1 \(number\)/],
    ['batched({ batchSize: 1.5 })', () => batched({ batchSize: 1.5 }), /batchSize must be a positive integer, received 1\.5 \(number\)/],
    ['batched({ batchSize: Infinity })', () => batched({ batchSize: Infinity }), /batchSize .*received Infinity \(number\)/],
    ['batched(undefined)', () => batched(undefined as never), /batchSize .*received undefined \(undefined\)/],
    ['batched({ batchSize: 2, passOutput: 1 })', () => batched({ batchSize: 2, passOutput: 1 as never }), /passOutput must be a boolean, received 1 \(number\)/],
    ['fallback({ timeout: "x" })', () => fallback({ timeout: 'x' as never }), /timeout must be .*received "x" \(string\)/],
    ['fallback({ timeout: -0.5 })', () => fallback({ timeout: -0.5 }), /timeout .*received -0.5 \(number\)/],
    ['sequential({ passOutput: "yes" })', () => sequential({ passOutput: 'yes' as never }), /passOutput must be a boolean, received "yes" \(string\)/],
    ['sequential({ stopOnFailure: null })', () => sequential({ stopOnFailure: null as never }), /stopOnFailure must be a boolean, received null \(null\)/],
  ])('%s throws a TypeError naming the value', (_name, create, message) => {
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});

describe('the Promise forms reject bad options before spawning anything', () => {
  it.each([
    ['runParallel maxWorkers -1', (ps: never[]) => runParallel(ps, { maxWorkers: -1 }), /maxWorkers .*received -1 \(number\)/],
    ['runBatched batchSize 1.5', (ps: never[]) => runBatched(ps, { batchSize: 1.5 }), /batchSize .*received 1\.5 \(number\)/],
    ['runWithFallback timeout "x"', (ps: never[]) => runWithFallback(ps, { timeout: 'x' as never }), /timeout .*received "x" \(string\)/],
    ['runSequential passOutput "yes"', (ps: never[]) => runSequential(ps, { passOutput: 'yes' as never }), /passOutput .*received "yes" \(string\)/],
  ])('%s', async (_name, run, message) => {
    const marker = join(temp.make(), 'ran');
    const promise = run([touches('would-run', marker)] as never[]);
    await expect(promise).rejects.toThrow(TypeError);
    await expect(promise).rejects.toThrow(message);
    expect(existsSync(marker)).toBe(false);
  });
});
