import { InvalidInputError } from '../../core/errors.ts';
import type { TransformInput, TransformRejection } from '../../core/transforms/transform.ts';
import { decodeWav, type Audio } from './wav.ts';

/** The input's audio, or the rejection saying why it is not a WAV file we read. */
export async function readAudio(input: TransformInput): Promise<Audio | TransformRejection> {
  try {
    return decodeWav(await input.bytes());
  } catch (error) {
    if (error instanceof InvalidInputError && error.data.field === 'audio') return { rejected: `audio ${error.data.reason}` };
    throw error;
  }
}

/** The channels averaged into one (a copy of the only channel when there is one). */
export function mixDown(channels: readonly Float64Array[]): Float64Array {
  const length = channels[0]?.length ?? 0;
  const out = new Float64Array(length);
  for (const channel of channels) for (let i = 0; i < length; i++) out[i]! += channel[i]!;
  if (channels.length > 1) for (let i = 0; i < length; i++) out[i]! /= channels.length;
  return out;
}

/** A `checkpoint` that throws the signal's reason once it is aborted. */
export function abortCheck(signal: AbortSignal): () => void {
  return () => signal.throwIfAborted();
}
