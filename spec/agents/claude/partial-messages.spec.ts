// Live text token by token (`--include-partial-messages`, issue 13 item 1), against real
// processes: spec/fixtures/claude-lines.js printing the lines the real CLI 2.1.197 prints (as
// recorded against the Messages API stand-in), and the built simulated agent streaming deltas.
import { ClaudeProcess, type ClaudeProcessOptions } from '../../../src/runnable/claude-process';
import { isClaudeEvent, type ClaudeEvent } from '../../../src/agents/claude/events';
import { parseClaudeLine } from '../../../src/agents/claude/stream-json';
import { claudeFlags } from '../../../src/agents/claude/claude-args';
import type { ProcessEvent } from '../../../src/process/types';
import { scriptedClaude, SIMULATED_AGENT } from './claude-lines';
import { collect, resultOf, tempDirs } from '../../helpers';

const AGENT = SIMULATED_AGENT;
const temp = tempDirs();
let lines: string;

beforeAll(() => {
  lines = scriptedClaude(temp.make());
});
afterAll(() => temp.cleanup());

const scripted = (printed: unknown[], options: Partial<ClaudeProcessOptions> = {}): ClaudeProcess =>
  new ClaudeProcess({ prompt: 'x', command: lines, ...options, env: { CLAUDE_LINES: JSON.stringify(printed), CLAUDE_EXIT: '0' } });
const agent = (options: Partial<ClaudeProcessOptions> & { prompt: string }): ClaudeProcess =>
  new ClaudeProcess({ command: AGENT, env: { SIM_AGENT_DELAY_MS: '0' }, ...options });

const outputs = (events: readonly ProcessEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'output' && e.stream === 'stdout' ? [e.chunk] : []));
const claudeEvents = (events: readonly ProcessEvent[]): ClaudeEvent[] => events.filter(isClaudeEvent).map((e) => e.event);

const wrap = (event: object, parent: string | null = null) => ({ type: 'stream_event', event, session_id: 's', parent_tool_use_id: parent });
const start = (id: string, parent: string | null = null) => wrap({ type: 'message_start', message: { id, type: 'message', role: 'assistant', content: [] } }, parent);
const delta = (text: string, parent: string | null = null) => wrap({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, parent);
const stop = [wrap({ type: 'content_block_stop', index: 0 }), wrap({ type: 'message_delta', delta: { stop_reason: 'end_turn' } }), wrap({ type: 'message_stop' })];
const say = (id: string, text: string) => ({ type: 'assistant', message: { id, model: 'claude-x', content: [{ type: 'text', text }] } });
const init = { type: 'system', subtype: 'init', session_id: 's', model: 'claude-x', tools: [] };
const result = (text: string) => ({ type: 'result', subtype: 'success', is_error: false, num_turns: 1, result: text, session_id: 's', total_cost_usd: 0.01 });

describe('parseClaudeLine: stream_event lines', () => {
  it('reads text deltas, tool input deltas and the message a message_start names', () => {
    expect(parseClaudeLine(JSON.stringify(delta('Hel')))).toMatchObject([{ kind: 'text-delta', text: 'Hel', index: 0, parentToolUseId: null }]);
    const json = wrap({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"comm' } }, 'toolu_1');
    expect(parseClaudeLine(JSON.stringify(json))).toMatchObject([{ kind: 'tool-input-delta', partialJson: '{"comm', index: 1, parentToolUseId: 'toolu_1' }]);
    expect(parseClaudeLine(JSON.stringify(start('msg_1')))).toMatchObject([{ kind: 'stream', type: 'message_start', messageId: 'msg_1' }]);
    const thinking = wrap({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } });
    expect(parseClaudeLine(JSON.stringify(thinking))).toMatchObject([{ kind: 'stream', type: 'content_block_delta/thinking_delta', messageId: null }]);
    expect(parseClaudeLine('{"type":"stream_event"}')).toMatchObject([{ kind: 'stream', type: 'undefined' }]);
  });
});

describe('ClaudeProcess with partial messages', () => {
  it('passes --include-partial-messages in stream-json only, and not with partialMessages: false', () => {
    const FLAG = '--include-partial-messages';
    expect(claudeFlags({})).toEqual(['--output-format', 'stream-json', '--verbose', FLAG]);
    expect(claudeFlags({ partialMessages: false })).not.toContain(FLAG);
    expect(claudeFlags({ outputFormat: 'json' })).not.toContain(FLAG);
    expect(claudeFlags({ outputFormat: 'text', partialMessages: true })).toEqual([]);
    expect(() => new ClaudeProcess({ prompt: 'x', partialMessages: 'yes' as unknown as boolean })).toThrow(/partialMessages/);
    expect(agent({ prompt: 'x', partialMessages: false }).spec()).toMatchObject({ partialMessages: false });
  });

  it('each text delta is an output event as it arrives; the whole message is not shown again; the result is the answer once', async () => {
    const events = await collect(scripted([init, start('msg_1'), delta('one t'), delta('wo th'), delta('ree'), say('msg_1', 'one two three'), ...stop, result('one two three')]).events());
    expect(outputs(events)).toEqual(['one t', 'wo th', 'ree', '\n']);
    // Deltas and bookkeeping stream events are not forwarded as Claude events; the whole block still is.
    expect(claudeEvents(events).map((e) => e.kind)).toEqual(['init', 'text', 'result']);
    expect(resultOf(events)).toMatchObject({ exitCode: 0, output: 'one two three\n' });
  });

  it('a message that arrived whole (no deltas) is still shown; a tool input delta stays a Claude event', async () => {
    const toolDelta = wrap({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"command":"ls"}' } });
    const events = await collect(
      scripted([init, start('msg_1'), toolDelta, ...stop, say('msg_0', 'Whole text.'), start('msg_2'), delta('Part 1\nPart '), delta('2'), say('msg_2', 'Part 1\nPart 2'), ...stop, result('Part 1\nPart 2')]).events(),
    );
    expect(outputs(events)).toEqual(['Whole text.\n', 'Part 1\nPart ', '2', '\n']);
    expect(claudeEvents(events).filter((e) => e.kind === 'tool-input-delta')).toMatchObject([{ partialJson: '{"command":"ls"}' }]);
    expect(resultOf(events).output).toBe('Part 1\nPart 2\n');
  });

  it('a run that ends without a result keeps the streamed text it read', async () => {
    const events = await collect(scripted([init, start('msg_1'), delta('cut '), delta('short')]).events());
    expect(outputs(events)).toEqual(['cut ', 'short']);
    expect(resultOf(events)).toMatchObject({ exitCode: 1, output: 'cut short' });
  });

  it('the simulated agent streams deltas: many more output events than lines, the same text as without partial messages', async () => {
    const prompt = 'Review the stream teardown';
    const streamed = await collect(agent({ prompt }).events());
    const whole = await collect(agent({ prompt, partialMessages: false }).events());
    const text = resultOf(whole).output;
    expect(outputs(whole).join('')).toBe(text);
    expect(outputs(streamed).join('')).toBe(text);
    expect(resultOf(streamed).output).toBe(text);
    const lineCount = text.split('\n').length - 1;
    expect(outputs(whole)).toHaveLength(lineCount);
    expect(outputs(streamed).length).toBeGreaterThan(lineCount * 2);
  });
});
