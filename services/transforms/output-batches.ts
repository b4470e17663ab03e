import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';

/** Outputs stored together: one upload (one audit entry, grouped catalog rows) per batch. */
const BATCH = 64;

interface Waiting {
  readonly bytes: Uint8Array;
  readonly mediaType: string | undefined;
  resolve(hash: string): void;
  reject(error: unknown): void;
}

/**
 * Stores a transform's new bytes in batches through `BlobService.putMany`, so that thousands
 * of small outputs do not each pay a separate authorized, audited upload. `add` resolves with
 * the blob hash once its batch is stored; `drain` stores what is left. A batch is sent when
 * full, or when `drain` is called; callers must not wait on `add` before calling `drain` if
 * fewer than a batch may come (the transform runner does not wait: it waits for all at the end).
 */
export class OutputBatches {
  private waiting: Waiting[] = [];
  private sending = Promise.resolve();

  constructor(
    private readonly blobs: BlobService,
    private readonly actor: Actor,
    private readonly project: string,
  ) {}

  add(bytes: Uint8Array, mediaType: string | undefined): Promise<string> {
    const stored = new Promise<string>((resolve, reject) => this.waiting.push({ bytes, mediaType, resolve, reject }));
    if (this.waiting.length >= BATCH) this.send();
    return stored;
  }

  /** Stores whatever is waiting and resolves when every batch sent so far is stored. */
  async drain(): Promise<void> {
    this.send();
    await this.sending;
  }

  private send(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.sending = this.sending.then(async () => {
      try {
        const outcome = await this.blobs.putMany(
          this.actor,
          this.project,
          (async function* () {
            for (const { bytes, mediaType } of batch) yield { content: bytes, mediaType };
          })(),
        );
        if (outcome.failure) for (const waiting of batch) waiting.reject(outcome.failure.error);
        else outcome.stored.forEach((blob, i) => batch[i]!.resolve(blob.hash));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    });
  }
}
