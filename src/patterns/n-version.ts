/**
 * N-version programming: N agents implement the same task in parallel, each in its own git
 * worktree with its own diversity profile; an optional check command runs in each worktree; a
 * reviewer (structured output) scores every candidate by id and selects one; the verdict names the
 * selected version's branch. Phases: `implement` (parallel), `check` (parallel, with `check`),
 * `review`. Ids: `version-<n>`, `version-<n>-check`, `reviewer`. When the reviewer fails, the
 * verdict says so and selects nothing: every candidate stays on its branch.
 */
import { concat, defer, type Observable } from 'rxjs';
import { defaults } from '../defaults';
import type { WorktreeSpec } from '../process/spec';
import { freshRunId } from '../runnable/workspace-run';
import { checkCheck, checkSpec, type CheckCommand } from './check-command';
import { candidatesOf, checkId, notCandidate, quoteCandidate, type Candidate } from './n-version-candidates';
import { DEFAULT_CRITERIA, DEFAULT_N_VERSION_PROMPTS, DEFAULT_PROFILES, reviewerSchema, type NVersionPrompts, type ReviewerAnswer } from './n-version-roles';
import { checkCount, checkNames, checkTask, type PatternOptions } from './pattern-options';
import { agentSpec, fillPrompt, withPrompts } from './prompts';
import { runPattern } from './run-pattern';
import type { PatternEvent, VerdictBase } from './verdict';

export interface NVersionOptions extends PatternOptions {
  /** How many versions. @default defaults.patternVersions (3) */
  readonly n?: number;
  /** Diversity profiles, one per version in turn (cycling). @default DEFAULT_PROFILES */
  readonly profiles?: readonly string[];
  /** A command run in each version's worktree (tests); its exit code and output go to the reviewer. @default none */
  readonly check?: CheckCommand;
  /** What the reviewer scores, 0 to 10 each. @default DEFAULT_CRITERIA */
  readonly criteria?: readonly string[];
  /** The worktrees' settings (base, root, keep: `on-change` or `always`). @default `{ keep: 'on-change' }` */
  readonly worktree?: Omit<WorktreeSpec, 'patch'>;
  readonly prompts?: Partial<NVersionPrompts>;
}

export interface NVersionVerdict extends VerdictBase {
  /** The selected version's process id; null when nothing was selected. */
  readonly selected: string | null;
  /** Its branch (where its change is committed); null when nothing was selected. */
  readonly branch: string | null;
  readonly scores: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly rationale: string | null;
  /** Every version that left a change, by process id. */
  readonly candidates: Readonly<Record<string, Candidate>>;
  /** Why each other version is not a candidate, by process id. */
  readonly rejected: Readonly<Record<string, string>>;
  readonly reviewer: string;
}

export const REVIEWER_ID = 'reviewer';

/**
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { nVersion } from 'rx-orchestration';
 * const last = await lastValueFrom(nVersion('Fix the flaky retry test', { n: 3, check: 'npm test', agent: { cwd: '/path/to/repo' } }));
 * if (last.type === 'verdict') console.log(last.verdict.selected, last.verdict.branch, last.verdict.scores);
 * ```
 */
export function nVersion(task: string, options: NVersionOptions = {}): Observable<PatternEvent<NVersionVerdict>> {
  checkTask('task', task);
  const n = checkCount('n', options.n ?? defaults.patternVersions, 20);
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  if (!Array.isArray(profiles) || profiles.length === 0 || !profiles.every((p) => typeof p === 'string' && p.trim() !== '')) {
    throw new TypeError(`profiles must be a non-empty list of texts, received ${JSON.stringify(options.profiles)}`);
  }
  const criteria = checkNames('criteria', options.criteria ?? DEFAULT_CRITERIA);
  const check = checkCheck(options.check);
  const keep = options.worktree?.keep ?? 'on-change';
  if (keep === 'never') throw new TypeError("worktree.keep must be 'on-change' or 'always' for n-version (the selected version lives on its branch), received \"never\"");
  const prompts = withPrompts(DEFAULT_N_VERSION_PROMPTS, options.prompts);
  const ids = Array.from({ length: n }, (_, i) => `version-${i + 1}`);
  const profileOf = new Map(ids.map((id, i) => [id, profiles[i % profiles.length]]));
  // Without a session, the versions of one run still share one branch folder: rxo/<run id>/version-<n>.
  const workspaceOf = (id: string, sessionId: string | undefined, runId: string) => ({
    worktree: { ...options.worktree, keep, patch: true, ...(sessionId || options.worktree?.branch ? {} : { branch: `${defaults.workspaceBranchPrefix}/${runId}/${id}` }) },
  });
  return runPattern<NVersionVerdict>(
    {
      pattern: 'n-version',
      phases: [
        { name: 'implement', strategy: 'parallel', processIds: ids },
        ...(check ? [{ name: 'check', strategy: 'parallel' as const, processIds: ids.map(checkId) }] : []),
        { name: 'review', strategy: 'run', processIds: [REVIEWER_ID] },
      ],
      body: (context) => {
        const runId = freshRunId();
        return concat(
          context.phase({
            name: 'implement',
            strategy: 'parallel',
            options: { maxWorkers: n },
            specs: ids.map((id, i) => agentSpec(id, fillPrompt(prompts.implement, { task, profile: profileOf.get(id) ?? '', version: String(i + 1) }), options.agent, { workspace: workspaceOf(id, context.session?.sessionId, runId) })),
          }),
          defer(() => {
            if (!check) return [];
            const candidates = candidatesOf(context, ids, profileOf);
            return context.phase({ name: 'check', strategy: 'parallel', options: { maxWorkers: n }, specs: candidates.map((c) => checkSpec(checkId(c.processId), check, c.path, options.agent?.timeoutMs)) });
          }),
          defer(() => {
            const candidates = candidatesOf(context, ids, profileOf);
            const prompt = fillPrompt(prompts.reviewer, { task, criteria: criteria.join(', '), candidates: candidates.map((c) => quoteCandidate(context, c)).join('\n') });
            const reviewer = agentSpec(REVIEWER_ID, prompt, options.agent, { jsonSchema: reviewerSchema(candidates.map((c) => c.processId), criteria) });
            return context.phase({ name: 'review', strategy: 'run', specs: candidates.length === 0 ? [] : [reviewer] });
          }),
        );
      },
      decide: (context) => {
        const candidates = candidatesOf(context, ids, profileOf);
        const byId = Object.fromEntries(candidates.map((c) => [c.processId, c]));
        const rejected = Object.fromEntries(ids.filter((id) => !(id in byId)).map((id) => [id, notCandidate(context, id)]));
        const base = { candidates: byId, rejected, reviewer: REVIEWER_ID, failures: context.failuresAmong([...context.results.keys()]) };
        const answer = context.structured<ReviewerAnswer>(REVIEWER_ID);
        if (!answer) {
          const kept = candidates.map((c) => `${c.processId} on ${c.branch}`).join(', ');
          const reason = candidates.length === 0
            ? 'no version left a change to review'
            : `${context.results.has(REVIEWER_ID) ? `the reviewer failed: ${context.failureOf(REVIEWER_ID)}` : 'the reviewer did not run'}; nothing was selected (candidates: ${kept})`;
          return { ...base, decided: false, reason, selected: null, branch: null, scores: {}, rationale: null };
        }
        const chosen = byId[answer.selected];
        const failedCheck = chosen.checkExitCode !== null && chosen.checkExitCode !== 0 ? `the selected version's check exited ${chosen.checkExitCode}` : null;
        return { ...base, decided: true, reason: failedCheck, selected: answer.selected, branch: chosen.branch, scores: answer.scores, rationale: answer.rationale };
      },
    },
    options,
  );
}
