// parseClaudeLine: every line kind the CLI prints (shapes copied from CLI 2.1.197 output measured
// against the e2e stand-in), unknown types kept, lines that are not JSON objects left to the caller.
import { describeClaudeEvent } from '../../../src/agents/claude/describe-event';
import { parseClaudeLine } from '../../../src/agents/claude/stream-json';

describe('parseClaudeLine', () => {
  it('reads the init line: session, model, tools, permission mode', () => {
    const line = JSON.stringify({ type: 'system', subtype: 'init', cwd: '/w', session_id: 's-1', tools: ['Bash', 'Read', 7], model: 'claude-opus-4-8[1m]', permissionMode: 'bypassPermissions', claude_code_version: '2.1.197' });
    expect(parseClaudeLine(line)).toEqual([
      { kind: 'init', sessionId: 's-1', model: 'claude-opus-4-8[1m]', tools: ['Bash', 'Read'], permissionMode: 'bypassPermissions', cwd: '/w', version: '2.1.197', raw: JSON.parse(line) },
    ]);
  });

  it('splits an assistant message into its text and tool-use blocks, and keeps unknown blocks', () => {
    const line = JSON.stringify({
      type: 'assistant', session_id: 's', error: 'server_error',
      message: { id: 'msg_1', model: 'm', content: [{ type: 'text', text: 'Hello' }, { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }, { type: 'thinking', thinking: '...' }] },
    });
    const events = parseClaudeLine(line) ?? [];
    expect(events.map((e) => e.kind)).toEqual(['text', 'tool-use', 'unknown']);
    expect(events[0]).toMatchObject({ kind: 'text', text: 'Hello', messageId: 'msg_1', model: 'm', error: 'server_error' });
    expect(events[1]).toMatchObject({ kind: 'tool-use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } });
    expect(events[2]).toMatchObject({ kind: 'unknown', type: 'assistant/thinking' });
  });

  it('reads tool results from a user message (string or block content)', () => {
    const line = JSON.stringify({
      type: 'user',
      message: { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'tool-ran', is_error: false },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], is_error: true },
      ] },
    });
    expect(parseClaudeLine(line)).toMatchObject([
      { kind: 'tool-result', toolUseId: 'toolu_1', content: 'tool-ran', isError: false },
      { kind: 'tool-result', toolUseId: 'toolu_2', content: 'a\nb', isError: true },
    ]);
  });

  it('reads API retries and results', () => {
    const retry = JSON.stringify({ type: 'system', subtype: 'api_retry', attempt: 1, max_retries: 1, retry_delay_ms: 540.2, error_status: 529, error: 'overloaded' });
    expect(parseClaudeLine(retry)).toMatchObject([{ kind: 'api-retry', attempt: 1, maxRetries: 1, retryDelayMs: 540.2, errorStatus: 529, error: 'overloaded' }]);
    const result = JSON.stringify({ type: 'result', subtype: 'error_max_turns', is_error: true, num_turns: 2, total_cost_usd: 0.001, duration_ms: 446, session_id: 's' });
    expect(parseClaudeLine(result)).toMatchObject([
      { kind: 'result', subtype: 'error_max_turns', isError: true, result: null, numTurns: 2, totalCostUsd: 0.001, durationMs: 446, durationApiMs: null, apiErrorStatus: null, sessionId: 's' },
    ]);
  });

  it('keeps lines of unknown types as unknown events, never failing', () => {
    expect(parseClaudeLine('{"type":"rate_limit_event","info":{}}')).toMatchObject([{ kind: 'unknown', type: 'rate_limit_event' }]);
    expect(parseClaudeLine('{"type":"system","subtype":"compact_boundary"}')).toMatchObject([{ kind: 'unknown', type: 'system/compact_boundary' }]);
    expect(parseClaudeLine('{"no":"type"}')).toMatchObject([{ kind: 'unknown', type: 'undefined' }]);
    expect(parseClaudeLine('{"type":"assistant"}')).toEqual([]);
  });

  it('gives null for a line that is not a JSON object', () => {
    for (const line of ['plain text', '', '[1,2]', '{"broken": ', '"string"', '42']) expect(parseClaudeLine(line)).toBeNull();
  });
});

describe('describeClaudeEvent', () => {
  const line = (raw: object) => describeClaudeEvent((parseClaudeLine(JSON.stringify(raw)) ?? [])[0]);

  it('gives one line for init, tool use, tool result, retry and result; null for text and unknown', () => {
    expect(line({ type: 'system', subtype: 'init', session_id: 's', model: 'm', tools: ['Bash', 'Read'], permissionMode: 'plan' })).toBe('session s, model m, 2 tools, permission mode plan');
    expect(line({ type: 'assistant', message: { content: [{ type: 'tool_use', id: 't', name: 'Bash', input: { command: 'ls\n-la' } }] } })).toBe('tool Bash: {"command":"ls\\n-la"}');
    expect(line({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't', content: 'a\n  b', is_error: true }] } })).toBe('tool result (error): a b');
    expect(line({ type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 3, retry_delay_ms: 1200.4, error_status: 529, error: 'overloaded' })).toBe('API retry 2/3 in 1200 ms: 529 overloaded');
    expect(line({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, total_cost_usd: 0.0012, usage: { input_tokens: 200, output_tokens: 40 } })).toBe('result success: 2 turns, $0.0012, 200 input / 40 output tokens');
    expect(line({ type: 'assistant', message: { content: [{ type: 'text', text: 'hi' }] } })).toBeNull();
    expect(line({ type: 'mystery' })).toBeNull();
  });

  it('shortens a long tool input to 200 characters', () => {
    expect(line({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Write', input: { content: 'x'.repeat(500) } }] } })).toHaveLength('tool Write: '.length + 203);
  });
});
