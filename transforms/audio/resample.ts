import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { integer, parseParams } from '../params.ts';
import { abortCheck, readAudio } from './read-audio.ts';
import { resample } from './sinc-resampler.ts';
import { encodeWav } from './wav.ts';

const schema = z.strictObject({
  /** The new sample rate, in Hz. */
  rate: integer(1000, 384_000),
});

export type ResampleParams = z.output<typeof schema>;

/**
 * `audio.resample`: WAV audio to `rate` Hz by windowed-sinc interpolation (Kaiser window,
 * 16 zero crossings, low-pass at 0.95 of the lower Nyquist frequency: see sinc-resampler.ts),
 * each channel on its own, written in the input's sample format (integers rounded, clipped,
 * no dither). A file already at `rate` is kept as it is. Keeps the path; meta gains
 * `sampleRate` and `channels`.
 */
export const audioResample: ItemTransform<ResampleParams> = {
  kind: 'item',
  name: 'audio.resample',
  version: '1',
  description: 'Resample WAV audio to a chosen rate (windowed-sinc interpolation with a Kaiser window).',
  parseParams: (raw) => parseParams('audio.resample', schema, raw),
  apply: async (input, params, context) => {
    context.signal.throwIfAborted();
    const audio = await readAudio(input);
    if ('rejected' in audio) return audio;
    const meta = { ...input.meta, sampleRate: params.rate, channels: audio.channels.length };
    if (audio.sampleRate === params.rate) return [{ path: input.path, content: { blob: input.blob }, meta, annotations: input.annotations }];
    const check = abortCheck(context.signal);
    const channels = audio.channels.map((channel) => resample(channel, audio.sampleRate, params.rate, check));
    const content = encodeWav({ sampleRate: params.rate, channels, format: audio.format });
    return [{ path: input.path, content, meta, annotations: input.annotations, mediaType: 'audio/wav' }];
  },
};
