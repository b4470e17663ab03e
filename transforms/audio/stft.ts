import { Fft } from './fft.ts';

export interface StftOptions {
  /** Window length in samples. */
  readonly frame: number;
  /** Samples between the starts of consecutive windows. */
  readonly hop: number;
  /** FFT size, a power of two ≥ frame: the window is zero-padded to it. */
  readonly fft: number;
}

/** Magnitudes in time-major order: `values[t * bins + k]` is |X_t[k]|. */
export interface Magnitudes {
  readonly frames: number;
  /** fft / 2 + 1: from 0 Hz to the Nyquist frequency, sampleRate / fft apart. */
  readonly bins: number;
  readonly values: Float32Array;
}

/**
 * The number of windows over `length` samples: windows start at 0, hop, 2·hop… and lie wholly
 * inside the signal (no centring or padding at the ends, torch.stft's center=False); a signal
 * shorter than one window gives one window, zero-padded.
 */
export function frameCount(length: number, { frame, hop }: StftOptions): number {
  return length <= frame ? 1 : 1 + Math.floor((length - frame) / hop);
}

/**
 * Short-time Fourier transform magnitudes |Σ x[t·hop + n]·w[n]·e^(−2πikn/fft)| with the
 * periodic Hann window w[n] = 0.5 − 0.5·cos(2πn/frame) (torch.hann_window's default), computed
 * in float64 and stored as float32. `checkpoint` is called every window.
 */
export function stftMagnitudes(signal: Float64Array, options: StftOptions, checkpoint: () => void = () => {}): Magnitudes {
  const { frame, hop, fft: size } = options;
  const fft = new Fft(size);
  const bins = size / 2 + 1;
  const frames = frameCount(signal.length, options);
  const window = new Float64Array(frame);
  for (let n = 0; n < frame; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / frame);
  const values = new Float32Array(frames * bins);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let t = 0; t < frames; t++) {
    checkpoint();
    re.fill(0);
    im.fill(0);
    const start = t * hop;
    const end = Math.min(frame, signal.length - start);
    for (let n = 0; n < end; n++) re[n] = signal[start + n]! * window[n]!;
    fft.transform(re, im);
    for (let k = 0; k < bins; k++) values[t * bins + k] = Math.hypot(re[k]!, im[k]!);
  }
  return { frames, bins, values };
}
