// maxWorkers 'auto': the formula (cores + 4 against free memory / memory per process), its
// validation, and parallel/batched running with it (real processes, never more than it allows).
import { availableParallelism } from 'node:os';
import { from, lastValueFrom, toArray } from 'rxjs';
import { defaults } from '../../src/defaults';
import { autoMaxWorkers, checkMaxWorkers } from '../../src/strategies/auto-max-workers';
import { batched } from '../../src/strategies/batched';
import { parallel, runParallel } from '../../src/strategies/parallel';
import type { ProcessEvent } from '../../src/process/types';
import { command } from './helpers';

const GiB = 2 ** 30;

describe('autoMaxWorkers', () => {
  it('is cores + 4 when memory allows', () => {
    expect(autoMaxWorkers({ cores: 2, freeMemory: 20 * GiB })).toEqual({
      workers: 6,
      cores: 2,
      freeMemory: 20 * GiB,
      memoryPerProcess: defaults.memoryPerProcess,
      limitedBy: 'cores',
    });
  });

  it('is free memory / memory per process when that is smaller', () => {
    expect(autoMaxWorkers({ cores: 16, freeMemory: 3 * GiB, memoryPerProcess: GiB / 2 })).toMatchObject({ workers: 6, limitedBy: 'memory' });
    expect(autoMaxWorkers({ cores: 16, freeMemory: 3.9 * GiB, memoryPerProcess: GiB })).toMatchObject({ workers: 3, limitedBy: 'memory' });
  });

  it('is at least 1, even with no free memory', () => {
    expect(autoMaxWorkers({ cores: 4, freeMemory: 0 })).toMatchObject({ workers: 1, limitedBy: 'memory' });
  });

  it('reads the machine by default', () => {
    const auto = autoMaxWorkers();
    expect(auto.cores).toBe(availableParallelism());
    expect(auto.memoryPerProcess).toBe(512 * 2 ** 20);
    expect(auto.workers).toBe(Math.max(1, Math.min(auto.cores + 4, Math.floor(auto.freeMemory / auto.memoryPerProcess))));
  });

  it.each<[object, RegExp]>([
    [{ memoryPerProcess: 0 }, /memoryPerProcess must be a positive integer, received 0/],
    [{ cores: -1 }, /cores must be a positive integer, received -1/],
    [{ freeMemory: -5 }, /freeMemory must be a number of bytes, 0 or more, received -5/],
    [{ freeMemory: 'lots' }, /freeMemory .* "lots" \(string\)/],
  ])('rejects %j with a TypeError', (options, message) => {
    expect(() => autoMaxWorkers(options)).toThrow(TypeError);
    expect(() => autoMaxWorkers(options)).toThrow(message);
  });

  it("maxWorkers accepts 'auto', a positive integer or Infinity; other text is a TypeError naming it", () => {
    expect(checkMaxWorkers('auto')).toBe('auto');
    expect(checkMaxWorkers(3)).toBe(3);
    expect(checkMaxWorkers(Infinity)).toBe(Infinity);
    expect(() => checkMaxWorkers('max')).toThrow(`maxWorkers must be a positive integer, Infinity or 'auto', received "max" (string)`);
    expect(() => parallel({ maxWorkers: 'Auto' as 'auto' })).toThrow(TypeError);
    expect(() => batched({ batchSize: 2, maxWorkers: 0 })).toThrow("maxWorkers must be a positive integer, Infinity or 'auto', received 0 (number)");
  });
});

describe("maxWorkers: 'auto' (real processes)", () => {
  /** The most processes between their start and their result, replaying the events. */
  function mostAtOnce(events: readonly ProcessEvent[]): number {
    let running = 0;
    let most = 0;
    for (const event of events) {
      if (event.type === 'start') most = Math.max(most, ++running);
      if (event.type === 'result') running -= 1;
    }
    return most;
  }

  it('parallel runs every process, never more at once than autoMaxWorkers() allows', async () => {
    const limit = autoMaxWorkers().workers;
    const jobs = Array.from({ length: limit + 3 }, (_, i) => command(`s${i}`, 'sleep', ['0.2']));
    const events = await lastValueFrom(from(jobs).pipe(parallel({ maxWorkers: 'auto' }), toArray()));
    expect(events.filter((e) => e.type === 'result')).toHaveLength(jobs.length);
    expect(mostAtOnce(events)).toBeLessThanOrEqual(limit);
    expect(mostAtOnce(events)).toBeGreaterThan(1);
    const results = await runParallel([command('one', 'true')], { maxWorkers: 'auto' });
    expect(results[0].exitCode).toBe(0);
  });

  it('batched with auto runs each batch up to the limit', async () => {
    const jobs = Array.from({ length: 4 }, (_, i) => command(`b${i}`, 'true'));
    const events = await lastValueFrom(from(jobs).pipe(batched({ batchSize: 2, maxWorkers: 'auto' }), toArray()));
    expect(events.filter((e) => e.type === 'result').map((e) => (e.type === 'result' ? e.result.exitCode : NaN))).toEqual([0, 0, 0, 0]);
  });
});
