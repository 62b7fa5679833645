/**
 * The pattern flags to the library's options: the task, the pattern's own flags, prompt
 * files (`--prompt-file`) split into prompt templates, panel roles (`role:<expert>`) and n-version profiles
 * (`profile:<n>`), and the Claude flags as the agent settings of every run.
 */
import { defaults } from '../index';
import { cascade, debate, nVersion, panel, type AgentSettings, type Observable, type PatternEvent, type PatternOptions } from './pattern-imports';
import type { CliOptions } from './cli-options';
import { PATTERN_FLAGS, type PatternFlags } from './pattern-flags';

const FLAG_NAMES: Record<keyof PatternFlags, string> = {
  n: 'n', check: 'check', positions: 'positions', rounds: 'rounds', models: 'models', threshold: 'threshold', levelTimeout: 'level-timeout', experts: 'experts', prompts: 'prompt-file',
};

export type PatternSettings = Omit<PatternOptions, 'agent'>;

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `--prompt-file` entries by kind: templates, `role:<expert>` and `profile:<n>`. */
export function splitPrompts(prompts: Readonly<Record<string, string>> = {}): { templates: Record<string, string>; roles: Record<string, string>; profiles: Record<string, string> } {
  const split = { templates: {} as Record<string, string>, roles: {} as Record<string, string>, profiles: {} as Record<string, string> };
  for (const [key, text] of Object.entries(prompts)) {
    if (key.startsWith('role:')) split.roles[key.slice(5)] = text;
    else if (key.startsWith('profile:')) split.profiles[key.slice(8)] = text;
    else split.templates[key] = text;
  }
  return split;
}

/** The pattern's Observable; throws a TypeError (a usage error) for bad flags, before anything runs. */
export function startPattern(options: CliOptions, settings: PatternSettings): Observable<PatternEvent> {
  const flags = options.pattern ?? {};
  const task = options.items[0] ?? '';
  const agent: AgentSettings = defined({
    ...options.claude,
    command: options.claudeCommand,
    model: options.model,
    timeoutMs: options.timeout ? options.timeout * 1000 : undefined,
  });
  if (options.claude?.jsonSchema !== undefined) throw new TypeError(`--json-schema does not apply to ${options.command}: each of its roles answers in a schema of its own`);
  const { templates, roles, profiles } = splitPrompts(flags.prompts);
  const common = { ...settings, agent, prompts: templates };
  for (const key of Object.keys(flags) as (keyof PatternFlags)[]) {
    const flag = FLAG_NAMES[key];
    if (!(PATTERN_FLAGS[flag].on as readonly string[]).includes(options.command)) throw new TypeError(`--${flag} applies to ${PATTERN_FLAGS[flag].on.join(', ')}, not ${options.command}`);
  }
  if (options.command !== 'panel' && Object.keys(roles).length) throw new TypeError(`--prompt-file role:<expert> applies to panel, not ${options.command}`);
  if (options.command !== 'n-version' && Object.keys(profiles).length) throw new TypeError(`--prompt-file profile:<n> applies to n-version, not ${options.command}`);
  switch (options.command) {
    case 'debate':
      return debate(task, { ...common, positions: flags.positions ?? defaults.patternPositions, ...defined({ rounds: flags.rounds }) });
    case 'cascade': {
      const levelTimeoutMs = flags.levelTimeout === undefined ? undefined : flags.levelTimeout * 1000;
      return cascade(task, { ...common, models: flags.models ?? defaults.patternModels, ...defined({ threshold: flags.threshold, check: flags.check, levelTimeoutMs }) });
    }
    case 'panel':
      return panel(task, { ...common, experts: flags.experts ?? defaults.patternExperts, roles });
    case 'n-version': {
      const numbered = Object.keys(profiles).map(Number).sort((a, b) => a - b);
      if (numbered.some((k, i) => k !== i + 1)) throw new TypeError(`--prompt-file profile:<n> must number the profiles 1, 2, 3, ... without a gap, received ${Object.keys(profiles).join(', ')}`);
      return nVersion(task, { ...common, ...defined({ n: flags.n, check: flags.check, profiles: numbered.length ? numbered.map((k) => profiles[String(k)]) : undefined }) });
    }
    default:
      throw new TypeError(`${options.command} is not a pattern command`);
  }
}
