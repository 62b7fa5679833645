/**
 * `remote(spec, options)`: a run described by a spec, executed by a worker of the cluster. It is a
 * `Runnable` like `CommandProcess`: cold (each subscription enqueues one signed job), its events are
 * the worker's events as they are produced, in order, numbered again on this side (`seq`), with a
 * `restart` event when another worker took the run over; the result arrives once. Unsubscribing,
 * or aborting the run's signal, stops the process group on the worker. `remoteBuilders` gives the
 * builders that make `orchestrate(plan, { build })` run every planned process remotely.
 *
 * @example
 * ```ts
 * import { remote } from 'rx-orchestration/toolkit';
 * const run = remote(
 *   { kind: 'command', processId: 'hello', command: 'echo', args: ['hi'] },
 *   { redis: 'redis://127.0.0.1:6379', secret: process.env.RXO_CLUSTER_SECRET ?? '' },
 * );
 * run.events().subscribe((event) => console.log(event.type)); // start, output, result (once a worker runs it)
 * ```
 */
import { randomUUID } from 'node:crypto';
import { defer, Observable } from 'rxjs';
import { sequenced } from '../events/sequenced';
import { logEvents, type ProcessLogSink } from '../logging/log-sink';
import { secretValues } from '../logging/redact';
import type { RunSpec } from '../process/spec';
import { unstartedResult } from '../process/spawn-events';
import type { ProcessEvent, RunOptions } from '../process/types';
import type { ProcessSpec, SpecBuilder, SpecifiedRunnable } from '../runnable/from-spec';
import { checkString } from '../validate';
import type { ClusterOptions } from './cluster-client';
import { acquireClient, releaseClient } from './client-registry';
import { makeJob } from './job-payload';
import { remoteRun } from './remote-run';

/** Options of a remote run. */
export interface RemoteOptions extends ClusterOptions {
  /** Names of this process's environment variables whose values the worker adds to its own (sealed in the job). @default [] */
  readonly passEnv?: readonly string[];
  /** Where the `passEnv` values are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the run is logged on this side. @default not logged */
  readonly logSink?: ProcessLogSink;
}

/** The environment values a run passes on, read when it starts; unset names are left out. */
function passedEnv(options: RemoteOptions): Record<string, string> {
  const env = options.env ?? process.env;
  const passed: Record<string, string> = {};
  for (const name of options.passEnv ?? []) {
    checkString('passEnv', name);
    if (env[name] !== undefined) passed[name] = env[name] as string;
  }
  return passed;
}

export class RemoteProcess implements SpecifiedRunnable {
  readonly processId: string;

  constructor(private readonly runSpec: RunSpec, private readonly options: RemoteOptions) {
    checkString('spec.processId', runSpec?.processId, { allowEmpty: true });
    this.processId = runSpec.processId;
  }

  spec(): RunSpec {
    return JSON.parse(JSON.stringify(this.runSpec)) as RunSpec;
  }

  events(run: RunOptions = {}): Observable<ProcessEvent> {
    return defer(() => {
      const spec = this.runSpec as RunSpec & { command?: string; args?: string[]; prompt?: string };
      const content = { spec: this.runSpec, context: run.context, passedEnv: passedEnv(this.options), timeoutMs: run.timeoutMs };
      let events$ = new Observable<ProcessEvent>((subscriber) => {
        if (run.signal?.aborted) {
          subscriber.next({ type: 'result', processId: this.processId, at: Date.now(), result: unstartedResult(this.processId, 'not-started', 130, 'cancelled before it started') });
          subscriber.complete();
          return undefined;
        }
        const client = acquireClient(this.options);
        const runId = randomUUID();
        const job = makeJob(client.keys, runId, content);
        const inner = remoteRun(client, job, run.signal).subscribe(subscriber);
        return () => {
          inner.unsubscribe();
          releaseClient(client);
        };
      });
      if (this.options.logSink) {
        events$ = events$.pipe(
          logEvents(this.options.logSink, {
            processId: this.processId,
            command: spec.command ?? (spec.kind === 'claude' ? 'claude' : spec.kind),
            args: spec.args ?? [],
            cwd: spec.cwd ?? '(the worker\'s directory)',
            prompt: spec.prompt,
            terminal: Boolean(spec.terminal),
            secrets: [...secretValues(spec.env ?? {}), ...secretValues(content.passedEnv)],
          }),
        );
      }
      return events$.pipe(sequenced());
    });
  }
}

/** A run of `spec` on a worker of the cluster. */
export function remote(spec: ProcessSpec | RunSpec, options: RemoteOptions): RemoteProcess {
  return new RemoteProcess(spec, options);
}

/**
 * Builders for `orchestrate(plan, { build })` and `fromSpec(spec, { build })` that run the
 * library's kinds (`command`, `claude`) remotely, logged through the session as local runs are.
 */
export function remoteBuilders(options: RemoteOptions): Record<string, SpecBuilder> {
  const build: SpecBuilder = (spec, context) => remote(spec, { ...options, ...(context.logSink ? { logSink: context.logSink } : {}) });
  return { command: build, claude: build };
}
