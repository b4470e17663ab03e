import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Transform } from '../../core/transforms/transform.ts';
import type { Actor } from '../actor.ts';
import type { Job } from '../jobs/job.ts';
import type { JobService } from '../jobs/job-service.ts';
import type { TransformRequest, TransformRunner } from './transform-runner.ts';

/** The kind of job that runs a transform. */
export const TRANSFORM_JOB = 'transform.run';

/** What `transforms` lists of each transform. */
export interface TransformListing {
  readonly name: string;
  readonly version: string;
  readonly kind: 'item' | 'dataset';
  readonly description: string;
}

/**
 * Transforms as jobs: `run` enqueues one (needs `data.write`; audited by the job service), and
 * the handler registered by `registerTransformJobs` — in the server and in every worker —
 * runs it with progress per item. A job that fails leaves no output: the output is committed
 * only once every item is computed.
 */
export class TransformService {
  constructor(private readonly deps: { jobs: JobService; transforms: readonly Transform[] }) {}

  list(): TransformListing[] {
    return this.deps.transforms.map((t) => ({ name: t.name, version: t.version, kind: t.kind, description: t.description }));
  }

  /** @throws InvalidInputError (unknown transform, bad parameters or output), ForbiddenError */
  run(actor: Actor | null, project: string, request: TransformRequest): Promise<Job> {
    return this.deps.jobs.enqueue(actor, project, { kind: TRANSFORM_JOB, input: request as unknown as JsonValue });
  }
}

/** Registers the transform job's handler: the server and `sheaf worker` both call it. */
export function registerTransformJobs(jobs: JobService, runner: TransformRunner, transforms: readonly Transform[]): void {
  jobs.registerHandler<TransformRequest>(
    TRANSFORM_JOB,
    async ({ actor, project, input, progress, signal }) => {
      const result = await runner.run(actor, project, input, progress, signal);
      return result as unknown as JsonValue;
    },
    {
      parseInput: (raw) => parseRequest(raw, transforms),
      // Deterministic work: a retry recomputes only what the item memo lacks.
      retryLimit: 2,
      timeoutSeconds: 6 * 3600,
    },
  );
}

/** Checks a transform request when it is enqueued, parameters included. @throws InvalidInputError */
export function parseRequest(raw: JsonValue, transforms: readonly Transform[]): TransformRequest {
  const value = (raw ?? {}) as Record<string, unknown>;
  const name = value.transform;
  const transform = transforms.find((t) => t.name === name);
  if (!transform) throw new InvalidInputError('transform', `no transform named ${JSON.stringify(name)}; see the transforms query`);
  const params = value.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new InvalidInputError('params', 'must be an object');
  transform.parseParams(params as JsonObject);
  if (typeof value.input !== 'string' || value.input === '') throw new InvalidInputError('input', 'must name a snapshot: dataset@ref, a commit id or a snapshot hash');
  const output = value.output as { dataset?: unknown; branch?: unknown } | undefined;
  if (typeof output?.dataset !== 'string' || typeof output.branch !== 'string')
    throw new InvalidInputError('output', 'must be { dataset, branch }');
  return { transform: transform.name, params: params as JsonObject, input: value.input, output: { dataset: output.dataset, branch: output.branch } };
}
