/**
 * Guarantee: no output is lost. In pipe and terminal mode, many runs of a child that prints
 * 100 B, 5 KiB, 20 KiB or 1 MiB and exits at once deliver every byte, in the live `output` events
 * and in the result, and the right exit code (0 for half the runs, 7 for the other half). Runs go
 * 4 at a time (RxJS mergeMap). N = 8 runs per size and mode, 200 with RXO_LONG_TESTS=1 (a loss
 * at exit shows in about half the runs when it happens, spec/process/spawn/terminal-child.spec.ts,
 * so 8 runs miss it with a chance of about 1 in 256 per size and mode).
 *
 * Decoding: multi-byte UTF-8 (2-, 3- and 4-byte characters) cut at every byte inside a character,
 * the pieces arriving in separate reads, decodes whole in both modes and on both pipes; invalid
 * UTF-8 (0xff 0xfe, a lone continuation byte, a sequence cut short by the exit) does not crash the
 * run and yields U+FFFD.
 */
import { lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import type { OutputEvent, ProcessEvent } from '../../src/process/types';
import { collect, LONG_TESTS as LONG, MODES, nodeFixture, pattern, resultOf } from '../helpers';

const RUNS = LONG ? 200 : 8;
const AT_ONCE = 4;

const SIZES = [
  { label: '100 B', bytes: 100 },
  { label: '5 KiB', bytes: 5 * 1024 },
  { label: '20 KiB', bytes: 20 * 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
];

/** What guarantee-utf8.js writes in `split` mode, cut inside every multi-byte character. */
const SPLIT_TEXT = 'aé€𝄞 ñ日本語 😀ü\n';
const REPLACEMENT = '\uFFFD';

function streamText(events: readonly ProcessEvent[], stream: 'stdout' | 'stderr'): string {
  return events
    .filter((event): event is OutputEvent => event.type === 'output' && event.stream === stream)
    .map((event) => event.chunk)
    .join('');
}

describe.each(MODES)('nothing is lost, $mode', ({ terminal }) => {
  describe.each(SIZES)('$label', ({ label, bytes }) => {
    const expected = pattern(bytes);

    it(`delivers every byte and the exit code in ${RUNS} runs (${AT_ONCE} at a time) of a child printing ${label} and exiting at once`, async () => {
      const outcomes = await lastValueFrom(
        range(0, RUNS).pipe(
          mergeMap(async (index) => {
            // Half the runs fail with 7: a failing exit must not cost output either.
            const code = index % 2 === 0 ? 0 : 7;
            const events = await collect(
              nodeFixture('print.js', ['--bytes', String(bytes), '--code', String(code)], { terminal }).events(),
            );
            const result = resultOf(events);
            const live = streamText(events, 'stdout');
            // Compare here and keep only a summary: a failure then names the runs, not 1 MiB of diff.
            const problems: string[] = [];
            if (result.exitCode !== code) problems.push(`exit code ${result.exitCode}, expected ${code}`);
            if (result.reason !== 'exit') problems.push(`reason ${result.reason}`);
            if (result.output !== expected) problems.push(`result output ${result.output.length} chars, differs`);
            if (live !== expected) problems.push(`live output ${live.length} chars, differs`);
            if (result.stderr !== '' || streamText(events, 'stderr') !== '') problems.push('stderr not empty');
            if (result.truncated !== null) problems.push('truncated');
            return { index, problems };
          }, AT_ONCE),
          toArray(),
        ),
      );
      expect(outcomes).toHaveLength(RUNS);
      expect(outcomes.filter((outcome) => outcome.problems.length > 0)).toEqual([]);
    }, LONG ? 300_000 : 60_000);
  });

  it.each(['stdout', 'stderr'] as const)('decodes multi-byte UTF-8 cut at every byte inside a character, pieces in separate reads (%s)', async (stream) => {
    const events = await collect(nodeFixture('guarantee-utf8.js', ['split', stream], { terminal }).events());
    const result = resultOf(events);
    expect(result.exitCode).toBe(0);
    // A terminal merges both streams into one stdout stream.
    const on = terminal ? 'stdout' : stream;
    const text = terminal ? result.output : result[stream === 'stdout' ? 'output' : 'stderr'];
    expect(text).toBe(SPLIT_TEXT);
    expect(streamText(events, on)).toBe(SPLIT_TEXT);
    const chunks = events.filter((event) => event.type === 'output');
    // The pieces did arrive apart (so characters really were cut across reads), and no chunk
    // carries a replacement character.
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.filter((event) => event.type === 'output' && event.chunk.includes(REPLACEMENT))).toEqual([]);
  });

  it.each(['stdout', 'stderr'] as const)(
    'turns invalid UTF-8 (0xff 0xfe, a lone continuation byte, a sequence cut short by the exit) into U+FFFD without crashing (%s)',
    async (stream) => {
      const events = await collect(nodeFixture('guarantee-utf8.js', ['invalid', stream], { terminal }).events());
      const result = resultOf(events);
      expect(result).toMatchObject({ exitCode: 0, reason: 'exit', error: null });
      const text = terminal ? result.output : result[stream === 'stdout' ? 'output' : 'stderr'];
      // 'a' 0xff 0xfe 'b' | 0x80 'c' '\n' | 'd' 0xe2 0x82 (cut short)
      const expected = `a${REPLACEMENT}${REPLACEMENT}b${REPLACEMENT}c\nd${REPLACEMENT}`;
      expect(text).toBe(expected);
      expect(streamText(events, terminal ? 'stdout' : stream)).toBe(expected);
    },
  );
});
