/**
 * The JSON Schema (draft-07) of protocol v1: what one encoded event (an NDJSON line, an SSE
 * message's data) holds. Shipped as `dist/events/event-schema.json` too (written at build time
 * from this module); `src/events/event-schema.json` is the same text, checked by a spec.
 *
 * The schema is the v1 contract, so it accepts what later v1 releases may add (see the versioning
 * policy in docs/events.md): fields it does not name, and event types it does not know, provided
 * they carry the envelope (`v`, `type`, `processId`, `at`, `seq`).
 */

const nullable = (type: string): { type: string[] } => ({ type: [type, 'null'] });
const count = { type: 'integer', minimum: 0 };

const tokenUsage = {
  type: 'object',
  required: ['inputTokens', 'outputTokens', 'cacheCreationInputTokens', 'cacheReadInputTokens'],
  properties: {
    inputTokens: { type: 'number' },
    outputTokens: { type: 'number' },
    cacheCreationInputTokens: { type: 'number' },
    cacheReadInputTokens: { type: 'number' },
  },
};

const definitions = {
  start: {
    description: 'Emitted once per attempt, right after the child was spawned.',
    type: 'object',
    required: ['pid', 'command', 'args'],
    properties: {
      pid: { type: 'integer', description: 'Operating-system process id of the group leader.' },
      command: { type: 'string' },
      args: { type: 'array', items: { type: 'string' } },
      attempt: { type: 'integer', minimum: 1, description: 'With retry: which attempt this start begins, 1 for the first.' },
    },
  },
  output: {
    description: 'A piece of output, decoded as UTF-8.',
    type: 'object',
    required: ['stream', 'chunk'],
    properties: {
      stream: { enum: ['stdout', 'stderr'] },
      chunk: { type: 'string' },
    },
  },
  agent: {
    description: 'What an agent adapter parsed from its agent\'s output (Claude: agent "claude", event a ClaudeEvent).',
    type: 'object',
    required: ['agent', 'event'],
    properties: {
      agent: { type: 'string', minLength: 1 },
      event: { description: 'A JSON value whose shape the adapter documents.' },
      description: { type: 'string', description: 'One line for people about the event.' },
    },
  },
  restart: {
    description: 'A remote run was started again on another worker (the earlier one died or handed it back).',
    type: 'object',
    required: ['workerId', 'previousWorkerId', 'attempt'],
    properties: {
      workerId: { type: 'string' },
      previousWorkerId: { type: 'string' },
      attempt: { type: 'integer', minimum: 2, description: 'Which start of the job this is, 2 for the first restart.' },
    },
  },
  result: {
    description: 'Emitted once, last, when the process has ended and its output is drained.',
    type: 'object',
    required: ['result'],
    properties: { result: { $ref: '#/definitions/processResult' } },
  },
  processResult: {
    type: 'object',
    required: ['exitCode', 'output', 'stderr', 'duration', 'processId', 'timedOut', 'cancelled', 'signal', 'forced', 'pid', 'startedAt', 'reason', 'error', 'truncated'],
    properties: {
      exitCode: { type: 'integer', description: '0 success, -1 timeout, anything else failure.' },
      output: { type: 'string' },
      stderr: { type: 'string' },
      duration: { type: 'number', minimum: 0, description: 'Seconds from spawn to the end of the output.' },
      processId: { type: 'string' },
      timedOut: { type: 'boolean' },
      cancelled: { type: 'boolean' },
      signal: nullable('string'),
      forced: { type: 'boolean' },
      pid: nullable('integer'),
      startedAt: { type: 'number', description: 'Milliseconds since the epoch.' },
      reason: { type: 'string', description: 'exit, signal, timeout, cancelled, spawn-error, not-started or error (a later v1 may add reasons).' },
      error: nullable('string'),
      truncated: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            required: ['kept', 'maxBuffer', 'stdoutDropped', 'stderrDropped'],
            properties: { kept: { const: 'last' }, maxBuffer: count, stdoutDropped: count, stderrDropped: count },
          },
        ],
      },
      limitExceeded: { enum: ['memory', 'cpu'] },
      claude: { $ref: '#/definitions/claudeRunInfo' },
      attempts: { type: 'array', items: { $ref: '#/definitions/attempt' } },
      halted: { type: 'boolean', description: 'With a halt policy: the halt stopped this run or kept it from starting.' },
      workspace: { $ref: '#/definitions/workspace' },
    },
  },
  attempt: {
    type: 'object',
    required: ['attempt', 'exitCode', 'reason', 'signal', 'error', 'durationMs', 'startedAt', 'pid', 'timedOut', 'delayBeforeMs'],
    properties: {
      attempt: { type: 'integer', minimum: 1 },
      exitCode: { type: 'integer' },
      reason: { type: 'string' },
      signal: nullable('string'),
      error: nullable('string'),
      durationMs: { type: 'number', minimum: 0, description: 'Milliseconds.' },
      startedAt: { type: 'number' },
      pid: nullable('integer'),
      timedOut: { type: 'boolean' },
      delayBeforeMs: { type: 'number', minimum: 0, description: 'Milliseconds waited before this attempt.' },
    },
  },
  workspace: {
    type: 'object',
    description: "With a workspace option: the run's git worktree, summed up after the run.",
    required: ['path', 'branch', 'base', 'head', 'changedFiles', 'diffStat', 'kept'],
    properties: {
      path: { type: 'string' },
      branch: { type: 'string' },
      base: { type: 'string', description: 'The commit the branch started from.' },
      head: { type: 'string', description: "The branch's commit after the run." },
      changedFiles: { type: 'array', items: { type: 'string' } },
      diffStat: {
        type: 'object',
        required: ['files', 'insertions', 'deletions'],
        properties: { files: count, insertions: count, deletions: count },
      },
      patch: { type: 'string', description: 'The whole diff from base (patch: true only).' },
      kept: { type: 'boolean', description: 'Whether the worktree and its branch are still there.' },
      error: { type: 'string', description: 'Why the summary or the cleanup failed.' },
    },
  },
  claudeRunInfo: {
    type: 'object',
    required: ['sessionId', 'model', 'subtype', 'isError', 'costUsd', 'numTurns', 'durationMs', 'durationApiMs', 'usage', 'modelUsage', 'permissionDenials'],
    properties: {
      sessionId: nullable('string'),
      model: nullable('string'),
      subtype: nullable('string'),
      isError: { type: 'boolean' },
      costUsd: { type: 'number' },
      numTurns: { type: 'number' },
      durationMs: nullable('number'),
      durationApiMs: nullable('number'),
      usage: tokenUsage,
      modelUsage: {
        type: 'object',
        additionalProperties: { ...tokenUsage, required: [...tokenUsage.required, 'costUsd'], properties: { ...tokenUsage.properties, costUsd: { type: 'number' } } },
      },
      permissionDenials: { type: 'array' },
    },
  },
};

const variant = (type: keyof typeof definitions) => ({
  if: { properties: { type: { const: type } } },
  then: { $ref: `#/definitions/${type}` },
});

/**
 * The schema, ready for a validator such as Ajv.
 *
 * @example
 * ```ts
 * import { Ajv } from 'ajv';
 * import { eventSchema } from 'rx-orchestration/toolkit';
 * const validate = new Ajv().compile(eventSchema);
 * const line = '{"v":1,"type":"output","processId":"a","stream":"stdout","chunk":"hi\\n","at":1700000000000,"seq":1}';
 * console.log(validate(JSON.parse(line)), validate.errors); // true null
 * ```
 */
export const eventSchema: Readonly<Record<string, unknown>> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:rx-orchestration:events:v1',
  title: 'rx-orchestration event, protocol v1',
  description: 'One event of a process run, as encoded on an NDJSON line or in an SSE message. See docs/events.md.',
  type: 'object',
  required: ['v', 'type', 'processId', 'at', 'seq'],
  properties: {
    v: { const: 1, description: 'The protocol major version.' },
    type: { type: 'string', description: 'start, output, agent, restart or result (a later v1 may add types; ignore the ones you do not know).' },
    processId: { type: 'string' },
    at: { type: 'number', minimum: 0, description: 'When the event happened, milliseconds since the epoch.' },
    seq: { type: 'integer', minimum: 0, description: 'The event\'s place in its run: 0, 1, 2, ... per processId.' },
  },
  allOf: [variant('start'), variant('output'), variant('agent'), variant('restart'), variant('result')],
  definitions,
};
