import type { JsonValue } from '../../../core/canonical-json.ts';
import { CorruptObjectError, InvalidInputError, JobFailure, NotFoundError } from '../../../core/errors.ts';
import type { Item } from '../../../core/model.ts';
import type { BlobService } from '../../blob-service.ts';
import type { DatasetService } from '../../dataset-service.ts';
import type { JobContext, JobHandler, JobKindOptions } from '../job-handler.ts';
import { ByteRateLimit } from './byte-rate-limit.ts';

export const SNAPSHOT_VERIFY = 'snapshot.verify';

/** What to verify: a location as `DatasetService.snapshotOf` reads it (dataset@ref, commit id, snapshot hash). */
export interface SnapshotVerifyInput {
  readonly snapshot: string;
  /** Reads average at most this many bytes per second (at least 1024); unlimited when absent. */
  readonly maxBytesPerSecond?: number | undefined;
}

/** An item whose blob could not be read back intact. */
export interface BadItem {
  readonly path: string;
  readonly blob: string;
  /** `missing`: the project holds no such blob; `corrupt`: its bytes no longer hash to its address. */
  readonly problem: 'missing' | 'corrupt';
}

/** Listed in full up to this many; `badItems` counts them all. */
export const MAX_LISTED_BAD_ITEMS = 1000;
const PAGE = 1000;
const READS_IN_FLIGHT = 4;
// Blobs found intact are remembered (items often share one) up to this many.
const MAX_REMEMBERED = 100_000;

/**
 * `snapshot.verify`: reads back the blob of every item of a snapshot, checking each against
 * its hash, and reports progress per item. Succeeds with the counts when all are intact;
 * otherwise fails with CORRUPT_BLOBS and the bad items (path, blob, missing or corrupt) in
 * its detail. Needs read access to the project and its blobs, as the enqueuing user.
 */
export function snapshotVerifyJob(deps: { datasets: DatasetService; blobs: BlobService }): {
  handler: JobHandler<SnapshotVerifyInput>;
  options: JobKindOptions<SnapshotVerifyInput>;
} {
  const handler = async ({ input, project, actor, signal, progress }: JobContext<SnapshotVerifyInput>): Promise<JsonValue> => {
    const snapshot = await deps.datasets.snapshotOf(actor, project, input.snapshot);
    const { count } = await deps.datasets.snapshotTotals(actor, project, snapshot);
    const limit = input.maxBytesPerSecond === undefined ? null : new ByteRateLimit(input.maxBytesPerSecond);
    const intact = new Set<string>();
    const bad: BadItem[] = [];
    let badItems = 0;
    let done = 0;
    let bytes = 0;
    progress(0, count);
    const check = async (item: Item): Promise<void> => {
      if (!intact.has(item.blob)) {
        const problem = await readBack(deps.blobs, actor, project, item.blob, signal, limit);
        if (problem === null) {
          if (intact.size < MAX_REMEMBERED) intact.add(item.blob);
        } else {
          badItems++;
          if (bad.length < MAX_LISTED_BAD_ITEMS) bad.push({ path: item.path, blob: item.blob, problem });
        }
      }
      bytes += item.size;
      progress(++done, count);
    };
    for (let after: string | undefined; ; ) {
      signal.throwIfAborted();
      const items = await deps.datasets.listSnapshotItems(actor, project, snapshot, { after, limit: PAGE });
      await inParallel(items, READS_IN_FLIGHT, check);
      if (items.length < PAGE) break;
      after = items[items.length - 1]!.path;
    }
    const summary = { snapshot, items: done, bytes };
    if (badItems > 0)
      throw new JobFailure('CORRUPT_BLOBS', `${badItems} of ${done} items have a missing or corrupt blob`, {
        detail: { ...summary, badItems, bad: bad as unknown as JsonValue[] },
      });
    return summary;
  };
  return { handler, options: { parseInput, retryLimit: 1, timeoutSeconds: 6 * 3600 } };
}

/** @throws InvalidInputError unless the input is `{ snapshot: string, maxBytesPerSecond?: integer >= 1024 }` */
function parseInput(input: JsonValue): SnapshotVerifyInput {
  const fields = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
  const { snapshot, maxBytesPerSecond } = fields;
  if (typeof snapshot !== 'string' || snapshot === '' || snapshot.length > 300)
    throw new InvalidInputError('input', 'expected {"snapshot": "<dataset@ref, commit id or snapshot hash>"}');
  if (maxBytesPerSecond !== undefined && (typeof maxBytesPerSecond !== 'number' || !Number.isSafeInteger(maxBytesPerSecond) || maxBytesPerSecond < 1024))
    throw new InvalidInputError('maxBytesPerSecond', 'must be a whole number of bytes, at least 1024');
  const unknown = Object.keys(fields).filter((key) => key !== 'snapshot' && key !== 'maxBytesPerSecond');
  if (unknown.length > 0) throw new InvalidInputError('input', `unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}`);
  return { snapshot, maxBytesPerSecond };
}

/** Reads a blob whole (the store checks its hash as it goes); null when intact. */
async function readBack(
  blobs: BlobService,
  actor: JobContext['actor'],
  project: string,
  blob: string,
  signal: AbortSignal,
  limit: ByteRateLimit | null,
): Promise<BadItem['problem'] | null> {
  try {
    for await (const chunk of await blobs.open(actor, project, blob)) {
      signal.throwIfAborted();
      await limit?.take(chunk.byteLength, signal);
    }
    return null;
  } catch (error) {
    if (error instanceof NotFoundError) return 'missing';
    if (error instanceof CorruptObjectError) return 'corrupt';
    throw error;
  }
}

/** Runs `work` on every item, at most `limit` at once; after a failure no new call starts. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
