/**
 * What `orchestrate resume` shows before it runs anything, and the question it asks on a
 * terminal. The review lists, for every process to run: its id, working directory, the exact
 * command line (program and arguments; for Claude, the executable, model, flags and the prompt's
 * start), the environment variables the plan sets to a value other than the current one (names
 * only; values may be secrets), whether the environment is inherited, and the stdin size.
 * Everything taken from the plan is shown inert: control characters escaped (`\x1b`).
 */
import { type PendingWork } from '../index';
import { displayArg, escapeControls } from '../toolkit';

/** Text from the plan for the terminal: every control, bidi and line-separator character escaped (`\x1b`). */
export const inert = (text: string): string => escapeControls(text);

const PROMPT_SHOWN = 200;

/** The spec as the review reads it (any kind): its command line fields, if it has them. */
type Shown = {
  readonly kind: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly model?: string;
  readonly extraArgs?: readonly string[];
  readonly prompt?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly extendEnv?: boolean;
  readonly terminal?: unknown;
  readonly input?: string | { readonly base64: string };
} & Record<string, unknown>;

const NOT_FLAGS = new Set(['kind', 'processId', 'command', 'args', 'model', 'extraArgs', 'prompt', 'input', 'cwd', 'env', 'extendEnv', 'timeoutMs', 'killGraceMs', 'exitGraceMs', 'killLeftovers', 'maxBuffer', 'terminal', 'limits', 'retry', 'startDelayMs']);

function commandLine(spec: Shown): string {
  if (spec.kind === 'command') return [spec.command ?? '', ...(spec.args ?? [])].map(displayArg).join(' ');
  const rest = Object.fromEntries(Object.entries(spec).filter(([key]) => !NOT_FLAGS.has(key)));
  const options = Object.keys(rest).length > 0 ? ` options ${inert(JSON.stringify(rest))}` : '';
  if (spec.kind !== 'claude') return `${inert(spec.kind)} spec${options}`;
  const words = [spec.command ?? '', ...(spec.model !== undefined ? ['--model', spec.model] : []), ...(spec.extraArgs ?? [])].map(displayArg);
  const prompt = spec.prompt ?? '';
  const shown = prompt.length > PROMPT_SHOWN ? `${prompt.slice(0, PROMPT_SHOWN)}…` : prompt;
  return `${words.join(' ')}${options} prompt (${prompt.length} characters): ${inert(JSON.stringify(shown))}`;
}

/** Names the plan sets to a value the process would not otherwise get from `env`. */
function changedEnv(spec: Shown, env: NodeJS.ProcessEnv): string[] {
  const set = spec.env ?? {};
  return Object.keys(set)
    .filter((name) => spec.extendEnv === false || env[name] !== set[name])
    .sort();
}

/** The review text: a heading line, then a few indented lines per process. */
export function reviewText(work: PendingWork, env: NodeJS.ProcessEnv): string {
  const lines = [`Resuming ${inert(work.sessionDir)}: ${work.pending.length} process(es) to run:`];
  for (const planned of work.pending) {
    const spec = (planned.spec ?? { kind: 'none' }) as Shown;
    lines.push(`  ${inert(planned.processId)}  (in ${inert(spec.cwd ?? work.plan.cwd)})`);
    lines.push(planned.spec ? `    run: ${commandLine(spec)}` : `    cannot run: ${inert(planned.unresumable ?? 'no spec')}`);
    const names = changedEnv(spec, env);
    if (names.length > 0) lines.push(`    environment changed: ${names.map(inert).join(', ')}`);
    if (spec.extendEnv === false) lines.push('    environment: only the variables above (the current one is not inherited)');
    if (spec.input !== undefined) lines.push(`    stdin: ${typeof spec.input === 'string' ? Buffer.byteLength(spec.input) : Buffer.from(spec.input.base64, 'base64').length} bytes`);
    if (spec.terminal) lines.push('    in a terminal (pseudo-terminal)');
  }
  return lines.join('\n');
}

/**
 * Asks `question` on `output` and reads one line from `input`: true for y or yes. False on any
 * other answer, on end of input, and when `signal` aborts (Ctrl-C is handled by the caller).
 */
export function askYesNo(
  question: string,
  io: { readonly input: NodeJS.ReadableStream; readonly output: { write(text: string): unknown }; readonly signal?: AbortSignal },
): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = '';
    const finish = (yes: boolean): void => {
      io.input.off('data', onData);
      io.input.off('end', onEnd);
      io.signal?.removeEventListener('abort', onAbort);
      io.input.pause();
      resolve(yes);
    };
    const onData = (chunk: Buffer | string): void => {
      answer += chunk.toString();
      const end = answer.indexOf('\n');
      if (end >= 0) finish(/^\s*(y|yes)\s*$/i.test(answer.slice(0, end)));
    };
    const onEnd = (): void => finish(false);
    const onAbort = (): void => finish(false);
    if (io.signal?.aborted) return resolve(false);
    io.signal?.addEventListener('abort', onAbort, { once: true });
    io.output.write(question);
    io.input.on('data', onData);
    io.input.on('end', onEnd);
    io.input.resume();
  });
}
