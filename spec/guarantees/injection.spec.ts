/**
 * Guarantee: a prompt is data, never code or an option. Prompts holding shell syntax
 * (`"; touch /tmp/x-<uuid>; "`, `$(touch ...)`, backticks, `&& touch ...`, pipes and redirections,
 * newlines), a leading `-` or `--`, unicode, and a NUL-free 100 KB mix of all of these arrive at
 * the program byte-exact, in the expected place of its argv, and run nothing: no marker file
 * appears. Checked through ClaudeProcess with a fake claude, through the CLI in prompt mode
 * (`--command <fake claude>`; prompts starting with `-` after `--`), and through `--exec`, whose
 * words are split without a shell: `--exec 'echo $(touch /tmp/x)'` prints the literal text.
 *
 * With RXO_LONG_TESTS=1 the mixed prompt is built several times with different random fill.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import type { ProcessResult } from '../../src/process/types';
import { runParallel } from '../../src/strategies/parallel';
import { fixture, tempDirs } from '../helpers';
import { installFakeClaude, readRecord } from '../strategies/helpers';
import { destroyRunning, printedLogDir, readSummary, runCli } from '../cli/helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
const MIX_VARIANTS = LONG ? 5 : 1;

const temp = tempDirs('rxo-guarantee-injection-');
const markers: string[] = [];

afterEach(destroyRunning);
afterAll(() => {
  for (const marker of markers) rmSync(marker, { force: true });
  temp.cleanup();
});

/** A file that exists only if something ran a command a prompt contained. */
function marker(): string {
  const path = `/tmp/x-${randomUUID()}`;
  markers.push(path);
  return path;
}

function expectNoMarker(): void {
  expect(markers.filter((path) => existsSync(path))).toEqual([]);
}

/** Random printable ASCII (no NUL), so the mix is not only repetitions. */
function printable(length: number): string {
  return [...randomBytes(length)].map((byte) => String.fromCharCode(32 + (byte % 95))).join('');
}

/** The hostile prompts, each with fresh marker files; [label, prompt]. */
function hostilePrompts(): Array<[string, string]> {
  const prompts: Array<[string, string]> = [
    ['double quotes and semicolons', `"; touch ${marker()}; "`],
    ['single quotes', `'; touch ${marker()}; '`],
    ['command substitution', `$(touch ${marker()})`],
    ['backticks', `\`touch ${marker()}\``],
    ['&&', `&& touch ${marker()}`],
    ['|| and a pipe', `false || touch ${marker()} | tee ${marker()}`],
    ['redirection', `> ${marker()} < /etc/passwd 2>&1`],
    ['newlines', `first line\ntouch ${marker()}\n; touch ${marker()}\r\n$(touch ${marker()})\n`],
    ['a leading -', `-p $(touch ${marker()})`],
    ['a leading --', `--output=${marker()} && touch ${marker()}`],
    ['exactly -', '-'],
    ['exactly --', '--'],
    ['a lone option', '--help'],
    ['variables and globs', `$HOME \${PATH} * ?? [a-z] ~ !! %s %n \\ touch ${marker()}`],
    ['unicode', `héllo wörld € 𝄞 日本語 🎉 \u202e\u200b\u00a0 ; touch ${marker()} ‘quotes’ “too”`],
  ];
  for (let variant = 1; variant <= MIX_VARIANTS; variant += 1) {
    const pieces = prompts.map(([, prompt]) => prompt);
    let mix = '-- leading dashes, then everything: ';
    for (let i = 0; Buffer.byteLength(mix) < 100 * 1024; i += 1) {
      mix += `${pieces[i % pieces.length]} ${printable(64)} $(touch ${marker()}) \`touch ${marker()}\`\n`;
    }
    // Exactly 100 KiB: trim the last (ASCII) characters.
    while (Buffer.byteLength(mix) > 100 * 1024) mix = mix.slice(0, -1);
    prompts.push([`a 100 KB mix${MIX_VARIANTS > 1 ? ` #${variant}` : ''}`, mix]);
  }
  return prompts;
}

/** The flags the default output format (stream-json) adds. */
const STREAM = ['--output-format', 'stream-json', '--verbose', '--include-partial-messages'];

/** The prompt in claude's argv: last after `--`, else right after -p. */
function promptIn(argv: readonly string[]): string {
  return argv.includes('--') ? argv[argv.length - 1] : argv[2];
}

/** Where a prompt is expected in claude's argv: right after -p, or last after `--` when it starts with '-'. */
function expectedArgv(prompt: string): string[] {
  return prompt.startsWith('-')
    ? ['--dangerously-skip-permissions', '-p', ...STREAM, '--', prompt]
    : ['--dangerously-skip-permissions', '-p', prompt, ...STREAM];
}

describe('through ClaudeProcess with a fake claude', () => {
  const prompts = hostilePrompts();
  let records: Map<string, ReturnType<typeof readRecord>>;
  let results: ProcessResult[];

  beforeAll(async () => {
    const dir = temp.make('claude');
    const fake = installFakeClaude(dir);
    records = new Map();
    const processes = prompts.map(([label, prompt], i) => {
      const record = join(dir, `record-${i}.json`);
      return new ClaudeProcess({ prompt, command: fake, processId: label, workingDir: dir, env: { FAKE_CLAUDE_RECORD: record } });
    });
    results = await runParallel(processes, { maxWorkers: 4 });
    prompts.forEach(([label], i) => records.set(label, readRecord(join(dir, `record-${i}.json`))));
  });

  it('runs every prompt to a reply', () => {
    expect(results).toHaveLength(prompts.length);
    for (const result of results) expect({ id: result.processId, exitCode: result.exitCode, output: result.output }).toEqual({ id: result.processId, exitCode: 0, output: 'fake reply\n' });
  });

  it.each(prompts.map(([label, prompt]) => ({ label, prompt })))('$label: arrives byte-exact as one argument, runs nothing', ({ label, prompt }) => {
    const record = records.get(label)!;
    expect(record.argv).toEqual(expectedArgv(prompt));
    const received = promptIn(record.argv);
    expect(Buffer.from(received).equals(Buffer.from(prompt))).toBe(true);
    expect(record.stdin.length).toBe(0);
    expectNoMarker();
  });

  it('a 200 KB mix (too big for argv) arrives byte-exact on stdin and runs nothing', async () => {
    const dir = temp.make('claude-stdin');
    const fake = installFakeClaude(dir);
    const record = join(dir, 'record.json');
    let prompt = '';
    while (Buffer.byteLength(prompt) < 200 * 1024) prompt += `$(touch ${marker()}) "; touch ${marker()}; " ${printable(200)} 日本語\n`;
    const result = await new ClaudeProcess({ prompt, command: fake, workingDir: dir, env: { FAKE_CLAUDE_RECORD: record } }).run();
    expect(result.exitCode).toBe(0);
    const seen = readRecord(record);
    expect(seen.argv).toEqual(['--dangerously-skip-permissions', '-p', ...STREAM]);
    expect(seen.stdin.equals(Buffer.from(prompt))).toBe(true);
    expectNoMarker();
  });
});

/** Copies guarantee2-fake-claude.js into `dir` as an executable `claude`; returns its path. */
function installRecordingClaude(dir: string): string {
  const path = join(dir, 'claude');
  writeFileSync(path, readFileSync(fixture('guarantee2-fake-claude.js'), 'utf8').replace(/^#!.*\n/, `#!${process.execPath}\n`));
  chmodSync(path, 0o755);
  return path;
}

/** The prompts the recording claude saw, from each run's argv (after `-p`, or after `--`). */
function recordedPrompts(recordDir: string): Array<{ argv: string[]; stdin: string }> {
  return readdirSync(recordDir).map((name) => {
    const record = JSON.parse(readFileSync(join(recordDir, name), 'utf8')) as { argv: string[]; stdin: string };
    return { argv: record.argv, stdin: Buffer.from(record.stdin, 'base64').toString('utf8') };
  });
}

describe('through the CLI in prompt mode (--command <fake claude>)', () => {
  it.each([
    { how: 'every prompt after --', split: (prompts: string[]) => ({ plain: [] as string[], afterDash: prompts }) },
    {
      how: 'prompts not starting with - as plain arguments, the others after --',
      split: (prompts: string[]) => ({ plain: prompts.filter((p) => !p.startsWith('-')), afterDash: prompts.filter((p) => p.startsWith('-')) }),
    },
  ])('$how: each prompt arrives byte-exact, once, and runs nothing', async ({ split }) => {
    const dir = temp.make('cli');
    const recordDir = join(dir, 'records');
    mkdirSync(recordDir);
    const fake = installRecordingClaude(dir);
    const prompts = hostilePrompts().map(([, prompt]) => prompt);
    const { plain, afterDash } = split(prompts);
    const outcome = await runCli(
      ['parallel', '--quiet', '--max-workers', '4', '--command', fake, '--working-dir', dir, ...plain, '--', ...afterDash],
      { cwd: dir, env: { FAKE_CLAUDE_RECORD_DIR: recordDir } },
    );
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
    const seen = recordedPrompts(recordDir);
    expect(seen).toHaveLength(prompts.length);
    const received = seen.map((record) => promptIn(record.argv));
    expect([...received].sort()).toEqual([...prompts].sort());
    for (const record of seen) {
      const prompt = promptIn(record.argv);
      expect(record.argv).toEqual(expectedArgv(prompt));
      expect(record.stdin).toBe('');
    }
    const summary = readSummary(printedLogDir(outcome.stdout));
    expect(summary.counts).toMatchObject({ total: prompts.length, succeeded: prompts.length });
    expectNoMarker();
  });

  it('`run -- <prompt starting with ->` runs that one prompt', async () => {
    const dir = temp.make('cli-run');
    const recordDir = join(dir, 'records');
    mkdirSync(recordDir);
    const fake = installRecordingClaude(dir);
    const prompt = `-rf $(touch ${marker()})`;
    const outcome = await runCli(['run', '--quiet', '--command', fake, '--working-dir', dir, '--', prompt], {
      cwd: dir,
      env: { FAKE_CLAUDE_RECORD_DIR: recordDir },
    });
    expect(outcome.code).toBe(0);
    expect(recordedPrompts(recordDir).map((record) => record.argv)).toEqual([expectedArgv(prompt)]);
    expectNoMarker();
  });
});

describe('through --exec: words split without a shell, nothing expanded or run', () => {
  it('prints each command line\'s words literally and creates no file', async () => {
    const dir = temp.make('exec');
    const m = Array.from({ length: 12 }, () => marker());
    // [command line, what echo must print]
    const cases: Array<[string, string]> = [
      [`echo $(touch ${m[0]})`, `$(touch ${m[0]})`],
      [`echo "; touch ${m[1]}; "`, `; touch ${m[1]}; `],
      [`echo \`touch ${m[2]}\``, `\`touch ${m[2]}\``],
      [`echo a && touch ${m[3]}`, `a && touch ${m[3]}`],
      [`echo a; touch ${m[4]}`, `a; touch ${m[4]}`],
      [`echo a | tee ${m[5]}`, `a | tee ${m[5]}`],
      [`echo a > ${m[6]}`, `a > ${m[6]}`],
      [`echo a || touch ${m[7]} & touch ${m[8]}`, `a || touch ${m[7]} & touch ${m[8]}`],
      ['echo * ~ $HOME ${PATH} ?', '* ~ $HOME ${PATH} ?'],
      [`echo "$(touch ${m[9]})" '$(touch ${m[10]})'`, `$(touch ${m[9]}) $(touch ${m[10]})`],
      [`echo "a\nb"; touch ${m[11]}`, `a\nb; touch ${m[11]}`],
    ];
    const outcome = await runCli(['parallel', '--exec', '--working-dir', dir, ...cases.map(([line]) => line)], { cwd: dir });
    expect(outcome.code).toBe(0);
    const summary = readSummary(printedLogDir(outcome.stdout));
    const byId = new Map(summary.results.map((result) => [result.processId, result]));
    cases.forEach(([, printed], i) => {
      const result = byId.get(`process_${String(i + 1).padStart(3, '0')}`)!;
      expect({ line: cases[i][0], output: result.output }).toEqual({ line: cases[i][0], output: `${printed}\n` });
    });
    expect(outcome.stdout).toContain(`[process_001] $(touch ${m[0]})\n`);
    expectNoMarker();
  });
});
