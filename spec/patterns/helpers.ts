// Shared by the pattern specs: the built simulated agent, scripted through a SIM_AGENT_SCRIPT file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, tap, toArray, type Observable } from 'rxjs';
import type { AgentSettings } from '../../src/patterns/pattern-options';
import type { PatternEvent, VerdictBase, VerdictEvent } from '../../src/patterns/verdict';

export const AGENT = join(__dirname, '..', '..', 'dist', 'testing', 'simulated-agent.js');

/** Agent settings running the simulated agent with these scripted answers, without delays. */
export function simulated(dir: string, script: readonly object[] = [], env: Record<string, string> = {}): AgentSettings {
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(script));
  return { command: AGENT, env: { SIM_AGENT_DELAY_MS: '0', SIM_AGENT_SCRIPT: file, ...env } };
}

/** Every event of a pattern, and its verdict (the last event). */
export async function runToVerdict<V extends VerdictBase>(events$: Observable<PatternEvent<V>>): Promise<{ events: PatternEvent<V>[]; verdict: V }> {
  const events = await lastValueFrom(events$.pipe(toArray()));
  const last = events[events.length - 1] as VerdictEvent<V>;
  expect(last.type).toBe('verdict');
  expect(events.filter((e) => e.type === 'verdict')).toHaveLength(1);
  return { events, verdict: last.verdict };
}

/** The phases as phase-start events announced them: index and name. */
export const phasesStarted = (events: readonly PatternEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'phase-start' ? [`${e.phase.index}:${e.phase.name}`] : []));

/** Events as they come, for a spec that acts in the middle of a pattern. */
export const watch = <V extends VerdictBase>(events$: Observable<PatternEvent<V>>, seen: PatternEvent<V>[]): Observable<PatternEvent<V>> => events$.pipe(tap((e) => seen.push(e)));
