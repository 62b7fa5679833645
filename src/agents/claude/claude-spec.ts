/**
 * A Claude Code CLI run described as data (`kind: 'claude'`): the prompt, the model and the CLI
 * options that become flags, beside the options every run has (`RunSpec`). `ClaudeProcess`
 * (runnable/) is built from one and gives one back; `claude-args.ts` turns one into a command line.
 *
 * @example
 * ```ts
 * import type { ClaudeSpec } from 'rx-orchestration';
 * const spec: ClaudeSpec = { kind: 'claude', processId: 'review', prompt: 'Review src/', model: 'sonnet', maxTurns: 5 };
 * ```
 */
import type { RunSpec } from '../../process/spec';
import type { JsonSchemaOption } from './structured-output';

/** How the CLI prints its run. */
export type ClaudeOutputFormat = 'stream-json' | 'json' | 'text';

/** The Claude CLI options that become command-line flags. */
export interface ClaudeFlagOptions {
  /** Passed as `--model <model>`. @default the CLI's own default */
  readonly model?: string;
  /**
   * `stream-json` (with `--verbose`): live text, Claude agent events, totals. `json`: the result only,
   * at the end. `text`: the original behaviour, plain output and the exit code alone.
   * @default 'stream-json'
   */
  readonly outputFormat?: ClaudeOutputFormat;
  /**
   * In `stream-json` format, pass `--include-partial-messages`: the CLI then prints the API's text
   * deltas as they arrive, and each becomes an `output` event at once (live text token by token)
   * instead of one per completed text block. Turn it off for a CLI older than the flag.
   * @default true
   */
  readonly partialMessages?: boolean;
  /**
   * Passed as `--permission-mode <mode>` (`acceptEdits`, `bypassPermissions`, `default`, `plan`, ...).
   * @default none: `--dangerously-skip-permissions`, as the original did
   */
  readonly permissionMode?: string;
  /** `--fallback-model`: the model the CLI switches to when the first is overloaded. @default none */
  readonly fallbackModel?: string;
  /** `--max-turns`: a run that needs more ends with `error_max_turns`. @default no limit */
  readonly maxTurns?: number;
  /** `--max-budget-usd`: a run that spends more ends with `error_max_budget_usd`. @default no limit */
  readonly maxBudgetUsd?: number;
  /** `--append-system-prompt`. @default none */
  readonly appendSystemPrompt?: string;
  /** `--allowedTools` (joined with commas), e.g. `['Read', 'Bash(git log:*)']`. @default none */
  readonly allowedTools?: readonly string[];
  /** `--disallowedTools` (joined with commas). @default none */
  readonly disallowedTools?: readonly string[];
  /** `--session-id`: a UUID for the new session. @default the CLI's own */
  readonly sessionId?: string;
  /** `--resume`: continue an earlier session (`claudeRunOf(result).sessionId`). @default none */
  readonly resume?: string;
  /** Further arguments, placed after every other flag. @default [] */
  readonly extraArgs?: readonly string[];
  /**
   * `--json-schema`: the answer must be an object of this JSON Schema (an object or its JSON text);
   * it arrives checked as `claudeRunOf(result).structuredOutput`, and a run without a valid one fails.
   * Needs `outputFormat` `stream-json` or `json`. @default none
   */
  readonly jsonSchema?: JsonSchemaOption;
}

/** The names of `ClaudeFlagOptions`, in the order a spec lists them. */
export const CLAUDE_FLAG_KEYS = [
  'model', 'outputFormat', 'partialMessages', 'permissionMode', 'fallbackModel', 'maxTurns', 'maxBudgetUsd', 'appendSystemPrompt',
  'allowedTools', 'disallowedTools', 'sessionId', 'resume', 'extraArgs', 'jsonSchema',
] as const satisfies readonly (keyof ClaudeFlagOptions)[];

/** One Claude Code CLI run. */
export interface ClaudeSpec extends RunSpec, ClaudeFlagOptions {
  readonly kind: 'claude';
  /** What to ask, byte-exact. */
  readonly prompt: string;
  /** The Claude executable. @default 'claude' */
  readonly command?: string;
  /**
   * Milliseconds to wait before starting (a stagger: concurrent CLI instances race on their
   * shared `~/.claude.json`). @default 0
   */
  readonly startDelayMs?: number;
}
