// The patterns with the real Claude Code CLI (2.1.197) against the Messages API stand-in: every
// role's reply is scripted by its prompt; structured answers arrive as the API would send them (a
// `StructuredOutput` tool use). A plain run keeps the debate (three real CLI runs); with
// RXO_LONG_TESTS=1 (CI) the cascade, the panel and n-version (real git, a Bash edit in each
// worktree) run too.
import { join } from 'node:path';
import { cascade } from '../../src/patterns/cascade';
import { debate } from '../../src/patterns/debate';
import { nVersion } from '../../src/patterns/n-version';
import { panel } from '../../src/patterns/panel';
import type { AgentSettings } from '../../src/patterns/pattern-options';
import { standInEnv, startFakeMessagesApi, type FakeMessagesApi } from '../agents/claude/fake-messages-api';
import { describeWithTool, LONG_TESTS, tempDirs } from '../helpers';
import { gitIn, makeRepo } from '../workspace/git-repo';
import { runToVerdict } from './helpers';

const CLAUDE = join(__dirname, '..', '..', 'node_modules', '.bin', 'claude');
const so = (input: Record<string, unknown>) => ({ toolUse: { name: 'StructuredOutput', input } });
const temp = tempDirs('rxo-patterns-e2e-');
let api: FakeMessagesApi;
const longIt = LONG_TESTS ? it : it.skip;

beforeAll(async () => {
  api = await startFakeMessagesApi([
    { match: 'You moderate a debate', ...so({ decision: 'keep the monolith', confidence: 0.7, keyArguments: [{ processId: 'against-round-1', point: 'one deploy' }], dissent: 'scaling' }) },
    { match: 'argue the position "for"', text: 'FOR-ARG: teams move independently.' },
    { match: 'argue the position "against"', text: 'AGAINST-ARG: one deploy is simpler.' },
    { match: 'E2E-CASCADE (level 1)', ...so({ answer: 'a guess', confidence: 0.3, missing: 'evidence' }) },
    { match: 'E2E-CASCADE (level 2)', ...so({ answer: 'the real answer', confidence: 0.95, missing: '' }) },
    { match: 'You chair a review panel', ...so({ consensus: 'ship after one fix', votes: { 'expert-security': { agrees: true, note: 'fix first' }, 'expert-performance': { agrees: true, note: 'fine' } }, dissent: '' }) },
    { match: 'as the security expert', ...so({ findings: [{ severity: 'high', point: 'unvalidated input' }], recommendation: 'validate' }) },
    { match: 'as the performance expert', ...so({ findings: [], recommendation: 'ship' }) },
    { match: 'select the best', ...so({ selected: 'version-2', scores: { 'version-1': { correctness: 3, simplicity: 8, robustness: 2 }, 'version-2': { correctness: 9, simplicity: 7, robustness: 8 } }, rationale: 'version-2 passes its check' }) },
    { match: 'E2E-PROFILE-A', toolUse: { name: 'Bash', input: { command: "printf 'alpha\\n' > shared.txt", description: 'Edit shared.txt' } }, text: 'Wrote alpha.' },
    { match: 'E2E-PROFILE-B', toolUse: { name: 'Bash', input: { command: "printf 'beta\\n' > shared.txt", description: 'Edit shared.txt' } }, text: 'Wrote beta.' },
  ]);
});
afterAll(async () => {
  await api.close();
  temp.cleanup();
});
afterEach(() => expect(api.requests.filter((r) => r.proxied)).toEqual([]));

/** Every run: the real CLI, the stand-in, a HOME of the spec's own. */
function realAgent(label: string, cwd?: string): AgentSettings {
  const home = temp.make(label);
  return {
    command: CLAUDE, model: 'claude-sonnet-4-5', cwd: cwd ?? home, killGraceMs: 2000,
    env: standInEnv(api, home),
  };
}

describe('patterns with the real claude CLI', () => {
  it('debate: arguments by id, the moderator answers through StructuredOutput', async () => {
    const { verdict } = await runToVerdict(debate('Split the monolith?', { positions: ['for', 'against'], rounds: 1, agent: realAgent('debate') }));
    expect(verdict).toMatchObject({ decided: true, decision: 'keep the monolith', confidence: 0.7, keyArguments: [{ processId: 'against-round-1', position: 'against', point: 'one deploy' }] });
    const [moderator] = api.messagesMatching('You moderate a debate');
    expect(moderator.userText).toContain('<argument process_id="for-round-1" position="for">\nFOR-ARG: teams move independently.');
    const tool = (moderator.body.tools as { name: string; input_schema: { properties: Record<string, unknown> } }[]).find((t) => t.name === 'StructuredOutput');
    expect(tool?.input_schema.properties.keyArguments).toBeDefined();
  }, 60_000);

  longIt('cascade: level 1 is not confident enough, level 2 answers', async () => {
    const { verdict } = await runToVerdict(cascade('E2E-CASCADE', { models: ['claude-haiku-4-5', 'claude-sonnet-4-5'], agent: realAgent('cascade'), prompts: { level: '{{task}} (level {{level}})' } }));
    expect(verdict).toMatchObject({ decided: true, level: 2, model: 'claude-sonnet-4-5', answer: 'the real answer' });
    expect(verdict.levels[0]).toMatchObject({ outcome: 'gate-failed', confidence: 0.3 });
    expect(api.messagesMatching('E2E-CASCADE (level 1)')[0].body.model).toBe('claude-haiku-4-5');
  }, 60_000);

  longIt('panel: findings and votes keyed by the experts\' ids', async () => {
    const { verdict } = await runToVerdict(panel('Ship it?', { experts: ['security', 'performance'], agent: realAgent('panel') }));
    expect(verdict).toMatchObject({ decided: true, consensus: 'ship after one fix', votes: { 'expert-security': { agrees: true } } });
    expect(verdict.findings['expert-security'].findings[0].point).toBe('unvalidated input');
  }, 60_000);
});

describeWithTool('git', 'n-version with the real claude CLI', () => {
  longIt('each version edits its own worktree with a real Bash tool use; the reviewer selects by id', async () => {
    const repo = makeRepo(temp.make('nv'));
    const { verdict } = await runToVerdict(nVersion('Rewrite shared.txt', { n: 2, profiles: ['E2E-PROFILE-A', 'E2E-PROFILE-B'], check: 'grep -q beta shared.txt', agent: realAgent('nv-agent', repo) }));
    expect(verdict).toMatchObject({ decided: true, selected: 'version-2', candidates: { 'version-1': { checkExitCode: 1 }, 'version-2': { checkExitCode: 0 } } });
    expect(gitIn(repo, 'show', `${verdict.branch}:shared.txt`)).toBe('beta\n');
    expect(gitIn(repo, 'show', `${verdict.candidates['version-1'].branch}:shared.txt`)).toBe('alpha\n');
  }, 90_000);
});
