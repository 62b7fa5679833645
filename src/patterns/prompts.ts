/**
 * Prompts are data: every role's text is a template with `{{name}}` slots, a default for each, and
 * any of them replaced by the caller (`prompts` option; the CLI reads them from files). Values go
 * in verbatim; earlier outputs are quoted in tagged sections that name the process id they came
 * from, so a later run can cite (and a verdict can key) by id.
 */
import type { AgentSettings } from './pattern-options';
import type { ClaudeSpec } from '../agents/claude/claude-spec';

/** The template with each `{{name}}` replaced by its value (unknown names stay as written). */
export function fillPrompt(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (slot, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : slot));
}

/**
 * One earlier output, quoted with the id that wrote it (and any attributes worth knowing). An
 * agent's text cannot close the section and open a forged one: any `<tag` or `</tag` inside it
 * is broken up (`< tag`), so every section in a prompt was written here, with its true id.
 */
export function quoted(tag: string, processId: string, text: string, attributes: Readonly<Record<string, string>> = {}): string {
  const extra = Object.entries(attributes).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('');
  const inert = text.trimEnd().replace(new RegExp(`<(/?)(${tag})`, 'gi'), '<$1 $2');
  return `<${tag} process_id=${JSON.stringify(processId)}${extra}>\n${inert}\n</${tag}>`;
}

/** A Claude spec for one role: the pattern's agent settings under the role's own. */
export function agentSpec(processId: string, prompt: string, agent: AgentSettings | undefined, own: Partial<ClaudeSpec> = {}): ClaudeSpec {
  return { ...agent, ...own, kind: 'claude', processId, prompt };
}

/** A process id made from a name (a model, an expert): only letters, digits, '.', '_' and '-'. */
export function idPart(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** Prompt overrides: only strings, only known roles. */
export function withPrompts<P extends object>(defaults: P, overrides: Partial<P> | undefined, option = 'prompts'): P {
  if (overrides === undefined) return defaults;
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in defaults)) throw new TypeError(`${option} has no role ${JSON.stringify(key)}; known: ${Object.keys(defaults).join(', ')}`);
    if (value !== undefined && typeof value !== 'string') throw new TypeError(`${option}.${key} must be a string template, received ${JSON.stringify(value)}`);
  }
  return { ...defaults, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}
