// The strategies as RxJS operators: live, line-by-line output from parallel agents, then results.
import { from, share, toArray } from 'rxjs';
import { ClaudeProcess, parallel, toResults } from 'rx-orchestration';
import { mirrorOutput } from 'rx-orchestration/toolkit';
import { claudeCommand } from './agent-command';

const agents = ['security', 'performance'].map(
  (area) => new ClaudeProcess({ prompt: `Analyze ${area}`, processId: area, command: claudeCommand }),
);
const events$ = from(agents).pipe(parallel({ maxWorkers: 2 }), mirrorOutput(), share());

events$.pipe(toResults(), toArray()).subscribe((results) => {
  console.log(results.map((r) => `${r.processId}: exit ${r.exitCode} in ${r.duration.toFixed(1)}s`).join('\n'));
  process.exitCode = results.every((r) => r.exitCode === 0) ? 0 : 1;
});
