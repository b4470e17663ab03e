import { InvalidInputError } from '../../core/errors.ts';

/** How samples are stored: integers of 8 (unsigned), 16, 24 or 32 bits, or floats of 32 or 64. */
export interface SampleFormat {
  readonly encoding: 'int' | 'float';
  readonly bits: 8 | 16 | 24 | 32 | 64;
}

/** Decoded audio: one array per channel, samples scaled to [-1, 1) (floats as stored). */
export interface Audio {
  readonly sampleRate: number;
  readonly channels: Float64Array[];
  readonly format: SampleFormat;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 256;

function bad(reason: string): InvalidInputError {
  return new InvalidInputError('audio', reason);
}

/**
 * Decodes a RIFF/WAVE file: PCM integers (8-bit unsigned, 16, 24, 32-bit signed), IEEE floats
 * (32, 64-bit), plain or WAVE_FORMAT_EXTENSIBLE, any number of channels. Unknown chunks are
 * skipped; a data chunk declaring more bytes than the file holds (a stream that was never
 * finalised) is read to the last whole sample frame.
 * @throws InvalidInputError('audio') for anything else
 */
export function decodeWav(bytes: Uint8Array): Audio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw bad('is not a WAV file (no RIFF/WAVE header)');
  let fmt: { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw bad('has a damaged fmt chunk');
      let formatTag = view.getUint16(body, true);
      if (formatTag === EXTENSIBLE) {
        if (size < 40) throw bad('has a damaged WAVE_FORMAT_EXTENSIBLE fmt chunk');
        formatTag = view.getUint16(body + 24, true); // the sub-format GUID starts with the format tag
      }
      fmt = {
        tag: formatTag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw bad('has its data before its fmt chunk');
      return samples(fmt, bytes.subarray(body, Math.min(body + size, bytes.length)));
    }
    offset = body + size + (size & 1); // chunks are padded to an even length
  }
  throw bad(fmt ? 'has no data chunk' : 'has no fmt chunk');
}

function samples(
  fmt: { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number },
  data: Uint8Array,
): Audio {
  const { tag, channels: count, sampleRate, blockAlign, bits } = fmt;
  const encoding = tag === PCM ? 'int' : tag === IEEE_FLOAT ? 'float' : undefined;
  if (!encoding) throw bad(`has an unsupported encoding (format tag ${tag}; PCM and IEEE float are read)`);
  const supported = encoding === 'int' ? [8, 16, 24, 32] : [32, 64];
  if (!supported.includes(bits)) throw bad(`has an unsupported sample size: ${bits}-bit ${encoding}`);
  if (count < 1 || count > MAX_CHANNELS) throw bad(`has ${count} channels (1 to ${MAX_CHANNELS} are read)`);
  if (sampleRate < 1) throw bad('has a sample rate of 0');
  const width = bits / 8;
  if (blockAlign !== width * count) throw bad(`has a block size of ${blockAlign} bytes, not ${width * count}`);
  const frames = Math.floor(data.length / blockAlign);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = reader(encoding, bits, view);
  const channels = Array.from({ length: count }, () => new Float64Array(frames));
  for (let frame = 0, at = 0; frame < frames; frame++)
    for (let channel = 0; channel < count; channel++, at += width) channels[channel]![frame] = read(at);
  return { sampleRate, channels, format: { encoding, bits: bits as SampleFormat['bits'] } };
}

function reader(encoding: 'int' | 'float', bits: number, view: DataView): (at: number) => number {
  if (encoding === 'float') return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/**
 * Encodes audio as a WAV file in `audio.format`. Integers are rounded to the nearest step
 * (halves up) and clipped to the format's range, without dither, so the same samples always
 * give the same bytes, and decoded samples re-encode to the original bytes. More than two
 * channels or more than 16 bits are written as WAVE_FORMAT_EXTENSIBLE (with no speaker mask),
 * as the format's specification asks; floats carry a fact chunk.
 */
export function encodeWav(audio: Audio): Uint8Array {
  const { sampleRate, channels, format } = audio;
  const count = channels.length;
  const frames = channels[0]?.length ?? 0;
  const width = format.bits / 8;
  const extensible = count > 2 || format.bits > 16;
  const tag = format.encoding === 'int' ? PCM : IEEE_FLOAT;
  const fmtSize = extensible ? 40 : format.encoding === 'float' ? 18 : 16;
  const fact = format.encoding === 'float' ? 12 : 0;
  const dataSize = frames * count * width;
  const pad = dataSize & 1;
  const out = new Uint8Array(12 + 8 + fmtSize + fact + 8 + dataSize + pad);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => out.set([...text].map((c) => c.charCodeAt(0)), at);
  ascii(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, extensible ? EXTENSIBLE : tag, true);
  view.setUint16(22, count, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * count * width, true);
  view.setUint16(32, count * width, true);
  view.setUint16(34, format.bits, true);
  if (fmtSize > 16) view.setUint16(36, fmtSize - 18, true);
  if (extensible) {
    view.setUint16(38, format.bits, true); // valid bits
    view.setUint32(40, 0, true); // speaker positions unspecified
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the format tag, then 0000-0010-8000-00AA00389B71.
    out.set([tag, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 44);
  }
  let at = 20 + fmtSize;
  if (fact) {
    ascii(at, 'fact');
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, frames, true);
    at += 12;
  }
  ascii(at, 'data');
  view.setUint32(at + 4, dataSize, true);
  at += 8;
  const write = writer(format, view);
  for (let frame = 0; frame < frames; frame++)
    for (let channel = 0; channel < count; channel++, at += width) write(at, channels[channel]![frame]!);
  return out;
}

function writer({ encoding, bits }: SampleFormat, view: DataView): (at: number, sample: number) => void {
  if (encoding === 'float') return bits === 32 ? (at, x) => view.setFloat32(at, x, true) : (at, x) => view.setFloat64(at, x, true);
  const scale = 2 ** (bits - 1);
  const quantize = (x: number) => Math.min(scale - 1, Math.max(-scale, Math.round(x * scale))) || 0; // NaN → 0
  switch (bits) {
    case 8:
      return (at, x) => view.setUint8(at, quantize(x) + 128);
    case 16:
      return (at, x) => view.setInt16(at, quantize(x), true);
    case 24:
      return (at, x) => {
        const q = quantize(x);
        view.setUint8(at, q & 0xff);
        view.setUint8(at + 1, (q >> 8) & 0xff);
        view.setInt8(at + 2, q >> 16);
      };
    default:
      return (at, x) => view.setInt32(at, quantize(x), true);
  }
}
