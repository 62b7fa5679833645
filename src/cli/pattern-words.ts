/** A pattern's verdict in words: the last lines of the human output. */
import type { CascadeVerdict, DebateVerdict, PanelVerdict, PatternName, VerdictBase } from '../index';

const failed = (verdict: VerdictBase): string => {
  const entries = Object.entries(verdict.failures);
  return entries.length ? `\nFailed: ${entries.map(([id, why]) => `${id} (${why})`).join('; ')}` : '';
};

/** Every pattern's verdict as a few lines of text. */
export function verdictWords(pattern: PatternName, verdict: VerdictBase): string {
  const lines = wordsOf(pattern, verdict);
  const note = verdict.reason ? `\n${verdict.decided ? 'Note' : 'Why'}: ${verdict.reason}` : '';
  return `${lines}${note}${failed(verdict)}\n`;
}

function wordsOf(pattern: PatternName, verdict: VerdictBase): string {
  if (!verdict.decided) return `Verdict (${pattern}): no decision.`;
  switch (pattern) {
    case 'debate': {
      const v = verdict as DebateVerdict;
      const keys = v.keyArguments.map((k) => `\n  - ${k.processId} (${k.position}): ${k.point}`).join('');
      return `Verdict (debate): ${v.decision} (confidence ${v.confidence}).${keys ? `\nKey arguments:${keys}` : ''}${v.dissent ? `\nDissent: ${v.dissent}` : ''}`;
    }
    case 'cascade': {
      const v = verdict as CascadeVerdict;
      return `Verdict (cascade): level ${v.level} (${v.model}, ${v.processId}) answered.\nAnswer: ${v.answer}`;
    }
    case 'panel': {
      const v = verdict as PanelVerdict;
      const votes = Object.entries(v.votes).map(([id, vote]) => `\n  - ${id}: ${vote.agrees ? 'agrees' : 'disagrees'}${vote.note ? ` (${vote.note})` : ''}`).join('');
      return `Verdict (panel): ${v.consensus}${votes ? `\nVotes:${votes}` : ''}${v.dissent ? `\nDissent: ${v.dissent}` : ''}`;
    }
    default: {
      const v = verdict as VerdictBase & { selected?: string; branch?: string | null; rationale?: string };
      return `Verdict (${pattern}): selected ${v.selected}${v.branch ? ` (branch ${v.branch})` : ''}.${v.rationale ? `\nRationale: ${v.rationale}` : ''}`;
    }
  }
}
