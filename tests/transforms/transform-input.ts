import * as assert from 'uvu/assert';
import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { BlobHash } from '../../core/ids.ts';
import { comparePaths, parseItemPath } from '../../core/item-path.ts';
import type {
  DatasetTransform,
  ItemTransform,
  TransformContext,
  TransformInput,
  TransformOutput,
  TransformRejection,
} from '../../core/transforms/transform.ts';

/** A transform input over `bytes` (a string as UTF-8), with its real blob hash. */
export function inputOf(path: string, bytes: Uint8Array | string, fields: { meta?: JsonObject; annotations?: JsonValue } = {}): TransformInput {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return {
    path: parseItemPath(path),
    blob: sha256Hex(data) as BlobHash,
    size: data.byteLength,
    meta: fields.meta ?? {},
    annotations: fields.annotations ?? null,
    bytes: async () => data,
  };
}

/** A context with a generous pixel limit and a signal that is never aborted unless given. */
export function contextOf(options: { maxImagePixels?: number; signal?: AbortSignal } = {}): TransformContext {
  return { maxImagePixels: options.maxImagePixels ?? 100_000_000, signal: options.signal ?? new AbortController().signal };
}

/** Runs an item transform and fails unless it gave outputs. */
export async function outputsOf<P>(transform: ItemTransform<P>, input: TransformInput, params: P, context = contextOf()): Promise<TransformOutput[]> {
  const result = await transform.apply(input, params, context);
  if (!Array.isArray(result)) assert.unreachable(`${input.path} was rejected: ${result.rejected}`);
  return result as TransformOutput[];
}

/** Runs an item transform expected to give exactly one output. */
export async function outputOf<P>(transform: ItemTransform<P>, input: TransformInput, params: P, context = contextOf()): Promise<TransformOutput> {
  const outputs = await outputsOf(transform, input, params, context);
  assert.is(outputs.length, 1, `one output for ${input.path}`);
  return outputs[0]!;
}

/** Runs a dataset transform over `inputs` (in path order, as the contract promises). */
export async function runDataset<P>(
  transform: DatasetTransform<P>,
  inputs: readonly TransformInput[],
  params: P,
  context = contextOf(),
): Promise<{ outputs: TransformOutput[]; rejections: TransformRejection[] }> {
  const sorted = [...inputs].sort((a, b) => comparePaths(a.path, b.path));
  const outputs: TransformOutput[] = [];
  const rejections: TransformRejection[] = [];
  for await (const result of transform.apply(async function* () {
    yield* sorted;
  }, params, context)) {
    if ('rejected' in result) rejections.push(result);
    else outputs.push(result);
  }
  return { outputs, rejections };
}

/** The new bytes of an output; fails if it kept an input's blob. */
export function bytesOf(output: TransformOutput): Buffer {
  if (!(output.content instanceof Uint8Array)) assert.unreachable(`${output.path} kept blob ${output.content.blob}`);
  return Buffer.from(output.content as Uint8Array);
}

/** The kept blob of an output; fails if it has new bytes. */
export function keptBlobOf(output: TransformOutput): string {
  if (output.content instanceof Uint8Array) assert.unreachable(`${output.path} has new bytes, expected a kept blob`);
  return (output.content as { blob: string }).blob;
}

/** The field and reason of the InvalidInputError `run` throws; fails if it throws nothing. */
export function invalidParam(run: () => unknown): { field: string; reason: string } {
  try {
    run();
  } catch (error) {
    assert.instance(error, InvalidInputError, `expected an InvalidInputError, got ${String(error)}`);
    return (error as InvalidInputError).data;
  }
  assert.unreachable('expected an InvalidInputError');
  throw new Error('unreachable');
}
