// The `rx-orchestration/testing` entry: what tests, demos and examples use in place of the real
// Claude CLI. Nothing here is needed to run real processes.

export { simulatedAgentPath } from './simulated-agent-path';
