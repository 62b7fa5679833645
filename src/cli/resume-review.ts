/**
 * What `orchestrate resume` shows before it runs anything, and the question it asks on a
 * terminal. The review lists, for every process to run: its id, working directory, the exact
 * command line (program and arguments; for Claude, the executable, model, flags and the prompt's
 * start), the environment variables the plan sets to a value other than the current one (names
 * only; values may be secrets), whether the environment is inherited, and the stdin size.
 * Everything taken from the plan is shown inert: control characters escaped (`\x1b`).
 */
import { escapeControls, type PendingWork, type PlannedProcess } from '../index';

/** Text from the plan for the terminal: every control, bidi and line-separator character escaped (`\x1b`). */
export const inert = (text: string): string => escapeControls(text);

/** One argument as a shell would need it: bare when plain, else single-quoted, or `$'...'` with controls escaped. */
function displayArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  const escaped = escapeControls(arg);
  if (escaped === arg) return `'${arg.replace(/'/g, `'\\''`)}'`;
  return `$'${escapeControls(arg.replace(/[\\']/g, '\\$&'))}'`;
}

const PROMPT_SHOWN = 200;

function commandLine(planned: PlannedProcess): string {
  if (planned.kind === 'command') return [planned.command, ...(planned.args ?? [])].map(displayArg).join(' ');
  const words = [planned.command, ...(planned.model !== undefined ? ['--model', planned.model] : []), ...(planned.extraArgs ?? [])].map(displayArg);
  const options = planned.claudeOptions && Object.keys(planned.claudeOptions).length > 0 ? ` options ${inert(JSON.stringify(planned.claudeOptions))}` : '';
  const prompt = planned.prompt ?? '';
  const shown = prompt.length > PROMPT_SHOWN ? `${prompt.slice(0, PROMPT_SHOWN)}…` : prompt;
  return `${words.join(' ')}${options} prompt (${prompt.length} characters): ${inert(JSON.stringify(shown))}`;
}

/** Names the plan sets to a value the process would not otherwise get from `env`. */
function changedEnv(planned: PlannedProcess, env: NodeJS.ProcessEnv): string[] {
  const set = planned.options.env ?? {};
  return Object.keys(set)
    .filter((name) => planned.options.extendEnv === false || env[name] !== set[name])
    .sort();
}

/** The review text: a heading line, then a few indented lines per process. */
export function reviewText(work: PendingWork, env: NodeJS.ProcessEnv): string {
  const lines = [`Resuming ${inert(work.sessionDir)}: ${work.pending.length} process(es) to run:`];
  for (const planned of work.pending) {
    lines.push(`  ${inert(planned.processId)}  (in ${inert(planned.options.cwd ?? work.plan.workingDir)})`);
    lines.push(`    run: ${commandLine(planned)}`);
    const names = changedEnv(planned, env);
    if (names.length > 0) lines.push(`    environment changed: ${names.map(inert).join(', ')}`);
    if (planned.options.extendEnv === false) lines.push('    environment: only the variables above (the current one is not inherited)');
    if (planned.input) lines.push(`    stdin: ${Buffer.from(planned.input.data, planned.input.encoding).length} bytes`);
    if (planned.options.terminal) lines.push('    in a terminal (pseudo-terminal)');
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
