/** Zero crossings of the sinc kernel on each side of its centre. */
export const ZERO_CROSSINGS = 16;
/** Kaiser window shape: about 80 dB of stop-band attenuation. */
export const KAISER_BETA = 8.6;
/** The low-pass cut-off, as a fraction of the lower of the two Nyquist frequencies. */
export const ROLLOFF = 0.95;

// Kernel tables above this many values are not kept: each output sample then computes its taps.
const MAX_TABLE = 1 << 22;

/** The zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 64 && term > sum * 1e-17; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/**
 * Band-limited resampling (J. O. Smith's windowed-sinc interpolation), in float64: output
 * sample n is Σ_k x[k]·h(n·from/to − k), with h(d) = c·sinc(c·d)·kaiser(d / (Z / c)),
 * c = ROLLOFF·min(1, to/from) (so downsampling filters out what the new rate cannot hold),
 * Z = ZERO_CROSSINGS, Kaiser β = KAISER_BETA. Samples outside the signal count as zero. The
 * output has ceil(length·to/from) samples. Kernel values depend only on the phase
 * (n·from mod to), so they are tabled per phase when the table is small, and computed the same
 * way otherwise: either way every run gives the same numbers.
 * `checkpoint` is called every few thousand output samples (to honour an abort).
 */
export function resample(signal: Float64Array, from: number, to: number, checkpoint: () => void = () => {}): Float64Array {
  const g = gcd(from, to);
  const up = to / g; // output samples per `down` input samples
  const down = from / g;
  const length = Math.ceil((signal.length * up) / down);
  const out = new Float64Array(length);
  const cutoff = ROLLOFF * Math.min(1, up / down);
  const halfWidth = ZERO_CROSSINGS / cutoff; // in input samples
  const reach = Math.ceil(halfWidth); // taps j = -reach+1 … reach around floor(t)
  const taps = 2 * reach;
  const i0beta = besselI0(KAISER_BETA);
  const kernel = (d: number): number => {
    const x = d / halfWidth;
    if (x <= -1 || x >= 1) return 0;
    const arg = Math.PI * cutoff * d;
    const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
    return cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / i0beta);
  };
  const table = up * taps <= MAX_TABLE ? new Float64Array(up * taps).fill(Number.NaN) : undefined;
  const weights = new Float64Array(taps);
  for (let n = 0; n < length; n++) {
    if (n % 4096 === 0) checkpoint();
    const position = n * down; // t = position / up, in input samples
    const base = Math.floor(position / up);
    const phase = position - base * up;
    const fraction = phase / up;
    let row = weights;
    if (table) {
      row = table.subarray(phase * taps, (phase + 1) * taps);
      if (Number.isNaN(row[0]!)) for (let j = 0; j < taps; j++) row[j] = kernel(fraction - (j - reach + 1));
    } else {
      for (let j = 0; j < taps; j++) row[j] = kernel(fraction - (j - reach + 1));
    }
    let sum = 0;
    const first = base - reach + 1;
    const lo = Math.max(0, -first);
    const hi = Math.min(taps, signal.length - first);
    for (let j = lo; j < hi; j++) sum += signal[first + j]! * row[j]!;
    out[n] = sum;
  }
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
