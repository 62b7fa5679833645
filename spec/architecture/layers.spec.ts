/**
 * The layout is the architecture: every folder of src/ is one concern and imports point down only.
 * This spec reads the import statements of every file under src/ (type imports included, since a
 * type in the wrong layer is how cycles start) and fails on an import cycle or an upward import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of one file, as src-relative paths without extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|require\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    const target = relative(SRC, resolve(dirname(file), spec)).replace(/\.(js|ts)$/, '');
    found.push(target);
  }
  return found;
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>();
for (const file of files) graph.set(relative(SRC, file).replace(/\.ts$/, ''), importsOf(file));

/** The folder (layer) a module belongs to: the first path segment, or '' for top-level files. */
function layerOf(module: string): string {
  const parts = module.split('/');
  return parts.length > 1 ? parts[0] : '';
}

/**
 * The layers, lowest first: a folder may import its own files, the top-level helpers
 * (`defaults`, `errors`, `validate`) and any folder listed before it, never one after it.
 * - events: protocol v1 (types, schema, codecs); imports nothing of ours
 * - process: the spec of a run and one run (spawn, terminate, buffer, text)
 * - output: filters over output events (lines, grep, ANSI, tail, inert)
 * - agents: agent adapters (Claude: command line, stream parsing, totals)
 * - operators: operators over runs (retry, mirroring, output passing)
 * - logging: log sinks, redaction, safe log files
 * - workspace: where a run works (a git worktree per agent), made before it and summed up after
 * - runnable: the classes users build (CommandProcess, ClaudeProcess) and specs turned into runs
 * - progress, strategies: composition of many runs
 * - session, orchestrator: sessions, plans, phases, resume, the summary
 * - patterns: multi-agent patterns (n-version, debate, cascade, panel) built from the strategies
 * - cluster: runs on workers over BullMQ and Redis (remote specs, workers, live events)
 * - dashboard: the web dashboard (an SSE server over the event stream, the page, replays)
 * - testing: the simulated agent and test helpers (the /testing subpath)
 * The CLI is checked apart: it imports only the public entry points.
 */
/** The package's entry points: they may import any layer. */
const ENTRIES = ['index', 'toolkit'];

const ORDER = ['', 'events', 'process', 'output', 'agents', 'operators', 'logging', 'workspace', 'runnable', 'progress',
  'strategies', 'session', 'orchestrator', 'patterns', 'cluster', 'dashboard', 'testing'];
const ALLOWED: Record<string, readonly string[]> = Object.fromEntries(
  ORDER.map((layer, index) => [layer, ORDER.slice(0, index)]),
);

describe('layers', () => {
  it('has no import cycle anywhere in src/', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string): void => {
      state.set(node, 'open');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node);
    expect(cycles).toEqual([]);
  });

  it('imports only point down: each folder imports only the layers below it', () => {
    const upward: string[] = [];
    for (const [module, imports] of graph) {
      const layer = layerOf(module);
      if (layer === 'cli' || ENTRIES.includes(module)) continue; // checked below
      const allowed = ALLOWED[layer];
      if (!allowed) {
        upward.push(`${module}: folder src/${layer}/ has no place in the layer list of this spec`);
        continue;
      }
      for (const target of imports) {
        const to = layerOf(target);
        if (to === layer || to === '' || allowed.includes(to)) continue;
        upward.push(`${module} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the CLI imports only the public entry points (index, toolkit, testing/index)', () => {
    const leaks = [...graph].filter(([module]) => layerOf(module) === 'cli')
      .flatMap(([module, imports]) => imports
        .filter((t) => layerOf(t) !== 'cli' && !ENTRIES.includes(t) && t !== 'testing/index')
        .map((t) => `${module} → ${t}`));
    expect(leaks).toEqual([]);
  });

  it('the top-level helpers (defaults, errors, validate) import no folder of ours', () => {
    const leaks = [...graph].filter(([module]) => layerOf(module) === '' && !ENTRIES.includes(module))
      .flatMap(([module, imports]) => imports.filter((t) => layerOf(t) !== '').map((t) => `${module} → ${t}`));
    expect(leaks).toEqual([]);
  });
});
