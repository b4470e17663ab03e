import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { parseParams } from '../params.ts';
import { mixDown, readAudio } from './read-audio.ts';
import { encodeWav } from './wav.ts';

const schema = z.strictObject({});

export type MonoParams = z.output<typeof schema>;

/**
 * `audio.mono`: mixes every channel of a WAV file into one, the plain average (no pan law),
 * written in the input's sample format (integers rounded, clipped, no dither). A file that is
 * mono already is kept as it is. Keeps the path; meta gains `sampleRate` and `channels: 1`.
 */
export const audioMono: ItemTransform<MonoParams> = {
  kind: 'item',
  name: 'audio.mono',
  version: '1',
  description: 'Mix WAV audio down to one channel (the average of all channels).',
  parseParams: (raw) => parseParams('audio.mono', schema, raw),
  apply: async (input, _params, context) => {
    context.signal.throwIfAborted();
    const audio = await readAudio(input);
    if ('rejected' in audio) return audio;
    const meta = { ...input.meta, sampleRate: audio.sampleRate, channels: 1 };
    if (audio.channels.length === 1) return [{ path: input.path, content: { blob: input.blob }, meta, annotations: input.annotations }];
    const content = encodeWav({ ...audio, channels: [mixDown(audio.channels)] });
    return [{ path: input.path, content, meta, annotations: input.annotations, mediaType: 'audio/wav' }];
  },
};
