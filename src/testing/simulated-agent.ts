#!/usr/bin/env node
/**
 * A stand-in for `claude -p`: same command line, same output formats, no network, no credentials.
 * The reply is deterministic from (prompt, model) and streamed in small pieces over ~1-2 s.
 * Models named `sim-unavailable*`, `sim-slow*` and `sim-crash*` fail (or lag) on purpose.
 * `SIM_AGENT_DELAY_MS` overrides the delay between pieces (tests use 0). `--json-schema` is answered
 * with a tool-use `StructuredOutput` and the result's `structured_output`, as the real CLI does;
 * `SIM_AGENT_SCRIPT=<file>` scripts answers by prompt (simulated-structured.ts).
 */

import { findEntry, loadScript, sampleFromSchema, writeScriptedFiles, type ScriptEntry } from './simulated-structured';

const VERSION = '1.0.0';
const DEFAULT_MODEL = 'sim-sonnet';
const FORMATS = ['text', 'json', 'stream-json'] as const;
type OutputFormat = (typeof FORMATS)[number];
const PERMISSION_MODES = ['acceptEdits', 'bypassPermissions', 'default', 'dontAsk', 'plan'];
const TOOLS = ['Task', 'Bash', 'Glob', 'Grep', 'Read', 'Edit', 'Write', 'WebFetch', 'TodoWrite', 'WebSearch'];
const PRICE_IN = 3 / 1_000_000; // USD per input token
const PRICE_OUT = 15 / 1_000_000; // USD per output token
const API_ERROR = 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
const USAGE = `Usage: simulated-agent [options] [--] [prompt]
Options: -p/--print, --model <m>, --output-format text|json|stream-json, --verbose,
  --permission-mode <m>, --dangerously-skip-permissions, --max-turns <n>, --max-budget-usd <n>,
  --append-system-prompt <s>, --fallback-model <m>, --allowedTools <s>, --disallowedTools <s>,
  --session-id <id>, --resume <id>, --include-partial-messages, --json-schema <json>, --version, --help
Models sim-unavailable*, sim-slow*, sim-crash* fail or lag on purpose. Env SIM_AGENT_DELAY_MS=<ms>,
  SIM_AGENT_SCRIPT=<file> (scripted answers by prompt).
`;

/** A message for stderr plus the exit code that goes with it. */
class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

// ---------------------------------------------------------------- command line

const FLAGS = new Set(['-p', '--print', '--verbose', '--dangerously-skip-permissions', '--include-partial-messages']);
const VALUED = new Set(['--model', '--output-format', '--permission-mode', '--max-turns', '--max-budget-usd',
  '--append-system-prompt', '--fallback-model', '--allowedTools', '--disallowedTools', '--session-id', '--resume', '--json-schema']);

interface Options {
  info?: string; // --version / --help text: print it and exit 0
  prompt?: string;
  flags: Set<string>;
  values: Map<string, string>;
}

/** Splits argv into flags, `--option value` pairs and the one positional prompt. */
function parseArgs(argv: string[]): Options {
  const opts: Options = { flags: new Set(), values: new Map() };
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (arg === '--version' || arg === '-v') return { ...opts, info: `${VERSION} (Simulated Agent)\n` };
    if (arg === '--help' || arg === '-h') return { ...opts, info: USAGE };
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.has(arg)) opts.flags.add(arg);
    else if (!VALUED.has(name)) throw new CliError(`error: unknown option '${arg}'`, 1);
    else if (eq > 0) opts.values.set(name, arg.slice(eq + 1));
    else if (i + 1 < argv.length) opts.values.set(name, argv[++i]);
    else throw new CliError(`error: option '${name}' argument missing`, 1);
  }
  if (positionals.length > 1) {
    throw new CliError(`error: too many arguments. Expected 1 argument but got ${positionals.length}.`, 1);
  }
  return { ...opts, prompt: positionals[0] };
}

/** Checks the option values the simulation relies on. */
function validate(opts: Options): OutputFormat {
  const format = opts.values.get('--output-format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`error: option '--output-format <format>' argument '${format}' is invalid. Allowed choices are ${FORMATS.join(', ')}.`, 1);
  }
  const mode = opts.values.get('--permission-mode');
  if (mode !== undefined && !PERMISSION_MODES.includes(mode)) {
    throw new CliError(`error: option '--permission-mode <mode>' argument '${mode}' is invalid. Allowed choices are ${PERMISSION_MODES.join(', ')}.`, 1);
  }
  for (const name of ['--max-turns', '--max-budget-usd']) {
    const value = opts.values.get(name);
    if (value !== undefined && !(Number(value) > 0)) throw new CliError(`error: ${name} must be a positive number, got '${value}'`, 1);
  }
  if (format === 'stream-json' && !opts.flags.has('--verbose')) {
    throw new CliError('Error: When using --print, --output-format=stream-json requires --verbose', 1);
  }
  const schema = opts.values.get('--json-schema');
  if (schema !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(schema);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) throw new CliError(`Error: --json-schema must be a JSON Schema object, got '${schema}'`, 1);
  }
  return format as OutputFormat;
}

/** The scripted entry for this run (SIM_AGENT_SCRIPT), if any. */
function scriptedEntry(prompt: string, model: string): ScriptEntry | undefined {
  try {
    return findEntry(loadScript(process.env.SIM_AGENT_SCRIPT), prompt, model);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** The structured answer of a run asked for one: scripted, or drawn from the schema. */
function structuredAnswer(schemaText: string, entry: ScriptEntry | undefined, rand: Rand): unknown {
  if (entry?.omitStructuredOutput) return undefined;
  if (entry && 'structuredOutput' in entry) return entry.structuredOutput;
  return sampleFromSchema(JSON.parse(schemaText), rand);
}

/** As the real CLI: a `StructuredOutput` tool use, its tool result, then the result carries the value. */
function emitStructured(run: Run, messageId: string, value: unknown): void {
  if (run.format !== 'stream-json') return;
  const toolId = `toolu_sim_${messageId.slice(-12)}`;
  emit({ type: 'assistant', message: { id: messageId, type: 'message', role: 'assistant', model: run.model,
    content: [{ type: 'tool_use', id: toolId, name: 'StructuredOutput', input: value }], stop_reason: null, stop_sequence: null },
    parent_tool_use_id: null, session_id: run.sessionId });
  emit({ type: 'user', message: { role: 'user', content: [{ tool_use_id: toolId, type: 'tool_result', content: 'Structured output provided successfully' }] },
    parent_tool_use_id: null, session_id: run.sessionId });
}

/** SIM_AGENT_DELAY_MS as a number, or undefined when unset or empty. */
function delayOverride(): number | undefined {
  const raw = process.env.SIM_AGENT_DELAY_MS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new CliError(`Error: SIM_AGENT_DELAY_MS must be a non-negative number of milliseconds, got '${raw}'`, 2);
  }
  return ms;
}

/** The whole of stdin, read as bytes and decoded once (so no multi-byte character is split). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------- determinism

/** FNV-1a: a 32-bit hash of the seed text. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const intBetween = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
/** Removes and returns a random element, so repeated picks never repeat. */
const take = <T>(rand: Rand, items: T[]): T => items.splice(Math.floor(rand() * items.length), 1)[0];

/** A UUID-shaped (version 4 layout) string from the PRNG. */
function uuid(rand: Rand): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  const variant = '89ab'[Math.floor(rand() * 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------- the reply

const AREAS = ['error handling path', 'retry loop', 'configuration loader', 'public API surface', 'test suite',
  'stream teardown', 'input validation', 'logging layer', 'dependency graph', 'build script'];
const FINDINGS = ['looks consistent but has no timeout', 'duplicates logic found elsewhere', 'is well covered by tests',
  'mixes parsing with side effects', 'swallows an error in one branch', 'relies on an undocumented default',
  'is simpler than it first appears', 'handles the empty case correctly'];
const RISK_LEADS = ['The main risk is that', 'One concern is that', 'Watch out:'];
const RISKS = ['a slow child process blocks the whole batch', 'partial output is lost on early exit',
  'concurrent writers race on the same file', 'large inputs exceed the argument size limit',
  'a missing cleanup leaves orphan processes'];
const REC_LEADS = ['I recommend', 'Consider', 'A good next step is'];
const ACTIONS = ['adding a test for the empty-input case', 'extracting the parsing into a pure function',
  'bounding concurrency explicitly', 'logging the exit code with the signal', 'documenting the default'];
const MAX_REPLY = 600;

/** Process ids of a `<previous_outputs>` section, and the prompt without that section. */
function splitPrevious(prompt: string): { ids: string[]; rest: string } {
  const section = /<previous_outputs>[\s\S]*?<\/previous_outputs>/.exec(prompt);
  if (!section) return { ids: [], rest: prompt };
  const ids = [...section[0].matchAll(/<output\s+process_id="([^"]*)"/g)].map((m) => m[1]);
  return { ids, rest: prompt.replace(section[0], '') };
}

/** The task line, 3-6 sentences, an acknowledgement of earlier outputs, and a footer. */
function buildReply(prompt: string, model: string, rand: Rand): string {
  const { ids, rest } = splitPrevious(prompt);
  const first = rest.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '(untitled)';
  const title = first.length > 80 ? `${first.slice(0, 77)}...` : first;
  let previous = '';
  if (ids.length > 0) {
    const named = ids.slice(0, 4).map((id) => (id.length > 24 ? `${id.slice(0, 21)}...` : id));
    const more = ids.length > 4 ? ` and ${ids.length - 4} more` : '';
    previous = `Received ${ids.length} earlier output${ids.length === 1 ? '' : 's'} from process ${named.join(', ')}${more}.\n`;
  }
  const footer = `(prompt: ${Buffer.byteLength(prompt)} bytes, model: ${model})\n`;
  const [areas, findings] = [[...AREAS], [...FINDINGS]];
  const sentences = Array.from({ length: intBetween(rand, 1, 4) }, () => `The ${take(rand, areas)} ${take(rand, findings)}.`);
  sentences.push(`${take(rand, [...RISK_LEADS])} ${take(rand, [...RISKS])}.`);
  sentences.push(`${take(rand, [...REC_LEADS])} ${take(rand, [...ACTIONS])}.`);
  // Drop observations (never below three sentences) until the reply fits the size budget.
  const fixed = `Task: ${title}\n`.length + previous.length + footer.length + 1;
  while (sentences.length > 3 && fixed + sentences.join(' ').length > MAX_REPLY) sentences.splice(0, 1);
  // One sentence a line, so a person watching sees the reply grow line by line.
  return `Task: ${title}\n${sentences.join('\n')}\n${previous}${footer}`;
}

/** Cuts the reply into pieces of one or two words (with their trailing spaces). */
function splitPieces(reply: string, rand: Rand): string[] {
  const words = reply.match(/\s*\S+\s*/g) ?? [reply];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = rand() < 0.5 ? 1 : 2;
    pieces.push(words.slice(i, i + n).join(''));
    i += n;
  }
  return pieces;
}

// ---------------------------------------------------------------- output

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const emit = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
const tokens = (chars: number) => Math.ceil(chars / 4);

/** Everything one run needs to print its events. */
interface Run {
  format: OutputFormat; model: string; sessionId: string; promptBytes: number; started: number; pendingLine: string;
  /** --include-partial-messages in stream-json: each piece also goes out as a text delta. */
  partial: boolean;
}

/** Token counts: about four bytes of prompt or four characters of reply per token. */
function usage(run: Run, reply: string) {
  const [input, output] = [tokens(run.promptBytes), tokens(reply.length)];
  return { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** The final `result` object of json and stream-json output, shaped like the real CLI's. */
function resultEvent(run: Run, reply: string, isError: boolean) {
  // A request the API refused consumed nothing.
  const u = isError ? usage({ ...run, promptBytes: 0 }, '') : usage(run, reply);
  const cost = Number((u.input_tokens * PRICE_IN + u.output_tokens * PRICE_OUT).toFixed(6));
  const duration = Date.now() - run.started;
  const modelUsage = isError ? {} : {
    [run.model]: { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0, webSearchRequests: 0, costUSD: cost, contextWindow: 200000, maxOutputTokens: 32000 },
  };
  return {
    type: 'result', subtype: 'success', is_error: isError, api_error_status: isError ? 529 : null,
    duration_ms: duration, duration_api_ms: isError ? 0 : duration, num_turns: 1, result: reply,
    stop_reason: isError ? 'stop_sequence' : 'end_turn', session_id: run.sessionId, total_cost_usd: cost, usage: u,
    modelUsage, permission_denials: [], terminal_reason: 'completed',
  };
}

/** One stream-json assistant event: a text block of the message `messageId`. */
function emitAssistant(run: Run, messageId: string, text: string, soFar: string, error?: string): void {
  emit({
    type: 'assistant',
    message: { id: messageId, type: 'message', role: 'assistant', model: error ? '<synthetic>' : run.model,
      content: [{ type: 'text', text }], stop_reason: null, stop_sequence: null, usage: usage(run, soFar) },
    parent_tool_use_id: null, session_id: run.sessionId, ...(error ? { error } : {}),
  });
}

/** One `stream_event` line (--include-partial-messages): an API server-sent event, as the real CLI prints it. */
function emitStream(run: Run, event: object): void {
  if (run.partial) emit({ type: 'stream_event', event, session_id: run.sessionId, parent_tool_use_id: null });
}

/** The stream events that open a message and its one text block. */
function emitMessageStart(run: Run, messageId: string): void {
  emitStream(run, { type: 'message_start', message: { id: messageId, type: 'message', role: 'assistant', model: run.model,
    content: [], stop_reason: null, stop_sequence: null, usage: usage(run, '') } });
  emitStream(run, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
}

/** The stream events that close them. */
function emitMessageStop(run: Run, reply: string): void {
  emitStream(run, { type: 'content_block_stop', index: 0 });
  emitStream(run, { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: tokens(reply.length) } });
  emitStream(run, { type: 'message_stop' });
}

/**
 * One streamed piece: raw text in text mode, nothing in json. In stream-json, as the real CLI
 * does, text arrives in whole blocks: one assistant event per completed line (one sentence);
 * with --include-partial-messages each piece comes first as a text delta.
 */
function emitPiece(run: Run, messageId: string, piece: string, soFar: string): void {
  if (run.format === 'text') process.stdout.write(piece);
  if (run.format !== 'stream-json') return;
  emitStream(run, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
  run.pendingLine += piece;
  let end: number;
  while ((end = run.pendingLine.indexOf('\n')) >= 0) {
    emitAssistant(run, messageId, run.pendingLine.slice(0, end + 1), soFar);
    run.pendingLine = run.pendingLine.slice(end + 1);
  }
}

/** The stream-json `system/init` event: session, model, tools (minus --disallowedTools), permission mode. */
function emitInit(opts: Options, run: Run): void {
  const disallowed = (opts.values.get('--disallowedTools') ?? '').split(/[\s,]+/);
  const skip = opts.flags.has('--dangerously-skip-permissions');
  emit({ type: 'system', subtype: 'init', cwd: process.cwd(), session_id: run.sessionId, model: run.model,
    tools: TOOLS.filter((t) => !disallowed.includes(t)), mcp_servers: [], apiKeySource: 'none',
    permissionMode: opts.values.get('--permission-mode') ?? (skip ? 'bypassPermissions' : 'default'),
    claude_code_version: VERSION, output_style: 'default' });
}

// ---------------------------------------------------------------- main

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.info !== undefined) { process.stdout.write(opts.info); return 0; }
  const format = validate(opts);
  const override = delayOverride();
  const prompt = opts.prompt ?? (await readStdin()); // stdin only when no positional prompt
  if (prompt.trim() === '') {
    throw new CliError('Error: Input must be provided either through stdin or as a prompt argument when using --print', 1);
  }
  const requested = opts.values.get('--model') ?? DEFAULT_MODEL;
  const rand = prng(hash(`${requested}\u0000${prompt}`));
  const derivedId = uuid(rand); // always drawn, so the reply does not depend on --session-id
  const sessionId = opts.values.get('--session-id') ?? opts.values.get('--resume') ?? derivedId;
  const run: Run = { format, model: requested, sessionId, promptBytes: Buffer.byteLength(prompt), started: Date.now(), pendingLine: '',
    partial: format === 'stream-json' && opts.flags.has('--include-partial-messages') };
  if (format === 'stream-json') emitInit(opts, run);
  // sim-unavailable*: overloaded after ~300 ms, unless a usable --fallback-model is given (as the real CLI does).
  if (requested.startsWith('sim-unavailable')) {
    await sleep(override === undefined ? 300 : override * 15);
    const fallback = opts.values.get('--fallback-model');
    if (fallback === undefined || fallback.startsWith('sim-unavailable')) {
      if (format === 'text') throw new CliError(API_ERROR, 1);
      if (format === 'stream-json') emitAssistant(run, `msg_${sessionId.slice(0, 8)}`, API_ERROR, '', 'server_error');
      emit(resultEvent(run, API_ERROR, true));
      return 1;
    }
    run.model = fallback;
  }
  const messageId = `msg_sim_${uuid(rand).replace(/-/g, '').slice(0, 20)}`;
  const entry = scriptedEntry(prompt, requested);
  if (entry?.writeFiles) {
    try {
      writeScriptedFiles(entry.writeFiles, process.cwd());
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
  }
  const generated = buildReply(prompt, run.model, rand);
  const reply = entry?.text ?? generated;
  const pieces = splitPieces(reply, rand);
  const total = 1000 + rand() * 1000; // a normal reply takes 1-2 s
  const slow = run.model.startsWith('sim-slow') ? 10 : 1;
  const delay = (entry?.delayMs ?? override ?? total / pieces.length) * slow;
  const crash = run.model.startsWith('sim-crash') || entry?.crash === true;
  const count = crash ? Math.ceil(pieces.length / 2) : pieces.length;
  let soFar = '';
  if (format === 'stream-json') emitMessageStart(run, messageId);
  for (const piece of pieces.slice(0, count)) {
    await sleep(delay);
    soFar += piece;
    emitPiece(run, messageId, piece, soFar);
  }
  if (crash) throw new CliError('Error: simulated crash', 2);
  if (run.pendingLine !== '') emitAssistant(run, messageId, run.pendingLine, soFar);
  if (format === 'stream-json') emitMessageStop(run, reply);
  const schema = opts.values.get('--json-schema');
  if (schema === undefined || format === 'text') {
    if (format !== 'text') emit(resultEvent(run, reply, false));
    return 0;
  }
  const structured = structuredAnswer(schema, entry, rand);
  if (structured === undefined) {
    emit(resultEvent(run, reply, false));
    return 0;
  }
  emitStructured(run, messageId, structured);
  emit({ ...resultEvent(run, reply, false), num_turns: 2, result: JSON.stringify(structured), stop_reason: 'tool_use', structured_output: structured });
  return 0;
}

// A reader that goes away (EPIPE) ends the run quietly instead of with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(1);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err.exitCode;
  },
);
