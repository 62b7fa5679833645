/**
 * The CLI's `--json` speaks protocol v1: every line of its stdout, from the built CLI running
 * real fixtures (one retried), validates against the shipped schema, decodes with `fromNdjson`,
 * and each process's events are numbered 0, 1, 2, ... from its start to its result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { from, lastValueFrom, toArray } from 'rxjs';
import { fromNdjson } from '../../src/events/ndjson';
import type { StampedEvent } from '../../src/events/types';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, REPO, runCli } from '../cli/helpers';

const temp = tempDirs('rxo-events-cli-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

describe('the CLI --json output', () => {
  it('is NDJSON of protocol v1: every line valid against dist/events/event-schema.json, seq per process from 0', async () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'dist', 'events', 'event-schema.json'), 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const dir = temp.make();
    const print = `${process.execPath} ${fixture('print.js')}`;
    const outcome = await runCli(
      ['parallel', '--json', '--retries', '1', '--retry-delay', '0.01', '--exec', `${print} --lines 3 --err oops`, `${print} --out x --code 2`, '--working-dir', dir],
      { cwd: dir },
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stdout.endsWith('\n')).toBe(true);
    const lines = outcome.stdout.slice(0, -1).split('\n');
    for (const line of lines) {
      const ok = validate(JSON.parse(line));
      if (!ok) throw new Error(`${line}\n${JSON.stringify(validate.errors)}`);
    }
    const events = await lastValueFrom(from([outcome.stdout]).pipe(fromNdjson(), toArray()));
    expect(events).toHaveLength(lines.length);
    const byId = new Map<string, StampedEvent[]>();
    for (const event of events) byId.set(event.processId, [...(byId.get(event.processId) ?? []), event]);
    expect([...byId.keys()].sort()).toEqual(['process_001', 'process_002']);
    for (const own of byId.values()) {
      expect(own.map((e) => e.seq)).toEqual(own.map((_, i) => i));
      expect(own[0].type).toBe('start');
      expect(own[own.length - 1].type).toBe('result');
    }
    // The failing one ran twice: two starts, one sequence.
    expect(byId.get('process_002')?.filter((e) => e.type === 'start')).toHaveLength(2);
  });
});
