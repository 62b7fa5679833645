/**
 * Why a Claude run failed, in words: from its `result` event when it has one, or from what the
 * CLI wrote on stderr when it refused to start.
 */
import type { ClaudeResultEvent } from './events';

const ROOT_REFUSAL = /cannot be used with root\/sudo privileges/;

/**
 * The CLI refuses `--dangerously-skip-permissions` (and `bypassPermissions`) for root unless
 * IS_SANDBOX=1 is set: say so, and how to go on.
 */
export function explainRefusal(stderr: string): string | null {
  if (!ROOT_REFUSAL.test(stderr)) return null;
  return (
    'the Claude CLI refuses to skip permission checks when run as root: run as another user, set ' +
    "IS_SANDBOX=1 in the process's env if this machine is a sandbox, or choose another permissionMode " +
    "(for example 'acceptEdits')"
  );
}

/** The error of a run whose result event says `is_error`. */
export function describeResultError(result: ClaudeResultEvent, assistantError: string | null): string {
  const raw = result.raw;
  const text = (result.result ?? '').trim();
  switch (result.subtype) {
    case 'error_max_turns':
      return `Claude reached the maximum number of turns (${result.numTurns} turns)`;
    case 'error_max_budget_usd':
      return `Claude's budget is exhausted: spent $${result.totalCostUsd} (maxBudgetUsd)`;
    case 'error_during_execution': {
      const errors = Array.isArray(raw.errors) ? raw.errors.filter((e) => typeof e === 'string') : [];
      return `Claude failed during execution${errors.length ? `: ${errors.join('; ')}` : text ? `: ${text}` : ''}`;
    }
  }
  if (assistantError === 'authentication_failed' || /not logged in|invalid api key|\/login/i.test(text)) {
    return `Claude is not logged in: ${text || assistantError} (set ANTHROPIC_API_KEY or run \`claude /login\`)`;
  }
  if (result.apiErrorStatus !== null || /^API Error/.test(text)) return `Claude API error: ${text}`;
  return `Claude reported an error (${result.subtype}): ${text || assistantError || 'no details'}`;
}
