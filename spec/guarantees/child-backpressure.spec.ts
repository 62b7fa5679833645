/**
 * Guarantee (process side of backpressure): while the output gate is closed, a child's output is
 * not read, so a child writing as fast as it can blocks on its full pipe (or terminal) and the
 * host holds a bounded amount; once the gate opens everything arrives, in order, nothing lost.
 * spec/fixtures/numbered-lines.js writes 300,000 numbered lines (about 3.5 MB); the gate is held
 * closed from the first output on. In pipe and in terminal mode.
 */
import { OutputGate } from '../../src/process/buffer/output-gate';
import type { ProcessEvent } from '../../src/process/types';
import { MODES, nodeFixture, startRun, waitFor } from '../helpers';

const LINES = 300_000;
/** What may still arrive after the hold: one read in flight, far below the 3.5 MB written. */
const BOUND = 1024 * 1024;

describe.each(MODES)('children pause while the output gate is closed, $mode', ({ terminal }) => {
  it('nothing more is read while the gate is held; after release every line arrives in order', async () => {
    const gate = new OutputGate();
    const holder = {};
    const run = startRun(nodeFixture('numbered-lines.js', [String(LINES)], { terminal, outputGate: gate }).events());
    let received = 0;
    let atHold = -1;
    const seen = (event: ProcessEvent): void => {
      if (event.type === 'output') received += event.chunk.length;
    };
    // The gate closes as soon as the first output arrives.
    await waitFor(() => run.events.some((event) => event.type === 'output'), 'the first output', 15_000);
    gate.hold(holder);
    for (const event of run.events) seen(event);
    atHold = received;
    const counted = run.events.length;
    // Held for a while: the child cannot finish (it blocks on the full pipe), little more arrives.
    await new Promise((resolveWait) => setTimeout(resolveWait, 700));
    for (const event of run.events.slice(counted)) seen(event);
    expect(received - atHold).toBeLessThan(BOUND);
    expect(run.events.some((event) => event.type === 'result')).toBe(false);
    gate.release(holder);
    const result = await run.result;
    expect(result).toMatchObject({ exitCode: 0, reason: 'exit' });
    const expected = Array.from({ length: LINES }, (_, i) => `line ${i}\n`).join('');
    expect(result.output.length).toBe(expected.length);
    expect(result.output === expected).toBe(true);
  });
});
