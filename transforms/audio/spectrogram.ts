import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { withExtension } from '../output-path.ts';
import { integer, number, oneOf, parseParams } from '../params.ts';
import { encodeGrayPng } from './gray-png.ts';
import { encodeNpyFloat32 } from './npy.ts';
import { abortCheck, mixDown, readAudio } from './read-audio.ts';
import { frameCount, stftMagnitudes, type Magnitudes } from './stft.ts';

/** The most cells (windows × bins) one spectrogram may have: 64 M float32 are 256 MB. */
export const MAX_CELLS = 64 * 1024 * 1024;

const schema = z
  .strictObject({
    /** Window length in samples. */
    frame: integer(16, 65_536).default(512),
    /** Samples between windows; a quarter of the window by default. */
    hop: integer(1, 65_536).optional(),
    /** FFT size: a power of two ≥ frame, the next one by default. */
    fft: integer(16, 65_536).optional(),
    as: oneOf(['npy', 'png']).default('npy'),
    /** PNG only: decibels below the loudest cell that map to black. */
    range: number(1, 200).default(80),
  })
  .transform((params, context) => {
    const fft = params.fft ?? 2 ** Math.ceil(Math.log2(params.frame));
    if ((fft & (fft - 1)) !== 0 || fft < params.frame)
      context.addIssue({ code: 'custom', path: ['fft'], message: `must be a power of two not below frame (${params.frame})` });
    return { frame: params.frame, hop: params.hop ?? Math.max(1, Math.floor(params.frame / 4)), fft, as: params.as, range: params.range };
  });

export type SpectrogramParams = z.output<typeof schema>;

/** Magnitudes as 8-bit gray: time left to right, frequency bottom (0 Hz) to top. */
function toPixels({ frames, bins, values }: Magnitudes, range: number): { pixels: Uint8Array; maxDb: number | null } {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  const pixels = new Uint8Array(frames * bins);
  // Silence has no loudest cell to scale from: all black.
  if (max === 0) return { pixels, maxDb: null };
  const maxDb = 20 * Math.log10(max);
  for (let t = 0; t < frames; t++)
    for (let k = 0; k < bins; k++) {
      const db = 20 * Math.log10(Math.max(values[t * bins + k]!, 1e-12));
      const level = Math.min(1, Math.max(0, (db - (maxDb - range)) / range));
      pixels[(bins - 1 - k) * frames + t] = Math.round(level * 255);
    }
  return { pixels, maxDb };
}

/**
 * `audio.spectrogram`: the STFT magnitude of WAV audio (channels averaged first; periodic Hann
 * window of `frame` samples every `hop`, zero-padded to `fft`; see stft.ts). Written as
 * - `npy`: a float32 array of shape (windows, bins), bins = fft/2 + 1 linear magnitudes, at
 *   `<path>` with the extension `.npy`;
 * - `png`: an 8-bit grayscale image, windows wide and bins high, 0 Hz at the bottom, cells
 *   20·log10(magnitude) scaled so the loudest is white and `range` dB below it black
 *   (silence all black), at `<path>` with the extension `.png`.
 * meta gains `spectrogram`: rate, frame, hop, fft, windows, bins, binHz (and maxDb, range
 * for PNG), enough to read frequencies and levels back. Rejects a file whose spectrogram
 * would exceed MAX_CELLS.
 */
export const audioSpectrogram: ItemTransform<SpectrogramParams> = {
  kind: 'item',
  name: 'audio.spectrogram',
  version: '1',
  description: 'STFT magnitude spectrogram of WAV audio (Hann window) as a float32 .npy array or a log-scaled grayscale PNG.',
  parseParams: (raw) => parseParams('audio.spectrogram', schema, raw),
  apply: async (input, params, context) => {
    context.signal.throwIfAborted();
    const audio = await readAudio(input);
    if ('rejected' in audio) return audio;
    const signal = mixDown(audio.channels);
    const cells = frameCount(signal.length, params) * (params.fft / 2 + 1);
    if (cells > MAX_CELLS) return { rejected: `audio is too long for a spectrogram with these parameters (${cells} cells, at most ${MAX_CELLS})` };
    const magnitudes = stftMagnitudes(signal, params, abortCheck(context.signal));
    const { frames, bins } = magnitudes;
    const info = { sampleRate: audio.sampleRate, frame: params.frame, hop: params.hop, fft: params.fft, windows: frames, bins, binHz: audio.sampleRate / params.fft };
    if (params.as === 'npy') {
      const content = encodeNpyFloat32(magnitudes.values, [frames, bins]);
      return [{ path: withExtension(input.path, '.npy'), content, meta: { ...input.meta, spectrogram: info }, annotations: input.annotations, mediaType: 'application/x-npy' }];
    }
    const { pixels, maxDb } = toPixels(magnitudes, params.range);
    const content = encodeGrayPng(pixels, frames, bins);
    const meta = { ...input.meta, spectrogram: { ...info, maxDb, range: params.range }, width: frames, height: bins };
    return [{ path: withExtension(input.path, '.png'), content, meta, annotations: input.annotations, mediaType: 'image/png' }];
  },
};
