import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openImage } from '../../../adapters/image/open-image.ts';
import { audioSpectrogram } from '../../../transforms/audio/spectrogram.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';
import { pcm16Wav, sine16 } from './wav-fixtures.ts';

const test = suite('audio.spectrogram');
const params = audioSpectrogram.parseParams;

/** Reads a float32 C-order .npy file as numpy would. */
function readNpy(bytes: Buffer): { shape: number[]; values: Float32Array; headerLength: number } {
  assert.equal([...bytes.subarray(0, 8)], [0x93, ...Buffer.from('NUMPY'), 1, 0]);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \((\d+), (\d+)\), \} *\n$/);
  const shape = /\((\d+), (\d+)\)/.exec(header)!.slice(1).map(Number);
  const data = bytes.subarray(10 + headerLength);
  const values = new Float32Array(data.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = data.readFloatLE(i * 4);
  return { shape, values, headerLength };
}

// 8 kHz with a 512-point FFT: bins are 15.625 Hz apart, so 1 kHz falls exactly on bin 64.
const RATE = 8000;
const tone = () => inputOf('sounds/tone.wav', pcm16Wav(RATE, [sine16(1000, RATE, 1, 0.5)]), { meta: { label: 'beep' } });

test('npy: a bin-centred sine peaks at its bin with magnitude A·N/4 in every window', async () => {
  const output = await outputOf(audioSpectrogram, tone(), params({ frame: 512 }));
  assert.is(output.path, 'sounds/tone.npy');
  assert.is(output.mediaType, 'application/x-npy');
  const { shape, values, headerLength } = readNpy(bytesOf(output));
  assert.is((10 + headerLength) % 64, 0, 'data aligned to 64 bytes');
  // 8000 samples, windows of 512 every 128: 1 + floor((8000 - 512) / 128) = 59.
  assert.equal(shape, [59, 257]);
  assert.equal(output.meta, {
    label: 'beep',
    spectrogram: { sampleRate: RATE, frame: 512, hop: 128, fft: 512, windows: 59, bins: 257, binHz: 15.625 },
  });
  for (let t = 0; t < 59; t++) {
    const row = values.subarray(t * 257, (t + 1) * 257);
    const peak = row.indexOf(Math.max(...row));
    assert.is(peak, 64, `window ${t}`);
    // A periodic Hann window sums to N/2, so a sine of amplitude A gives |X[k]| = A·N/4 = 64.
    assert.ok(Math.abs(row[64]! - 64 * (32767 / 32768)) < 0.05, `magnitude ${row[64]}`);
    // The Hann window's main lobe is 2 bins wide each side: far bins are near zero.
    assert.ok(row[40]! < 1e-2 && row[100]! < 1e-2, `leakage ${row[40]}, ${row[100]}`);
  }
});

test('zero-padding to a larger FFT doubles the bins; the same tone lands on bin 128', async () => {
  const output = await outputOf(audioSpectrogram, tone(), params({ frame: 512, hop: 512, fft: 1024 }));
  const { shape, values } = readNpy(bytesOf(output));
  assert.equal(shape, [15, 513]);
  const row = values.subarray(0, 513);
  assert.is(row.indexOf(Math.max(...row)), 128);
});

test('png: time across, frequency up; the tone is the white row', async () => {
  const output = await outputOf(audioSpectrogram, tone(), params({ as: 'png', frame: 512 }));
  assert.is(output.path, 'sounds/tone.png');
  assert.is(output.mediaType, 'image/png');
  const { data, info } = await openImage(bytesOf(output), { maxPixels: 1e8 }).raw().toBuffer({ resolveWithObject: true });
  assert.equal([info.width, info.height], [59, 257]);
  const gray = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
  // Bin 64 is row 256 - 64 = 192.
  for (const x of [0, 30, 58]) {
    assert.is(gray(x, 192), 255);
    assert.is(gray(x, 20), 0, 'more than 80 dB below: black');
  }
  const meta = output.meta.spectrogram as Record<string, number>;
  assert.is(meta.range, 80);
  assert.ok(Math.abs(meta.maxDb! - 20 * Math.log10(64)) < 0.01, `maxDb ${meta.maxDb}`);
});

test('silence: a black PNG with no loudest level', async () => {
  const output = await outputOf(audioSpectrogram, inputOf('s.wav', pcm16Wav(RATE, [new Array(2000).fill(0)])), params({ as: 'png', frame: 256 }));
  const { data } = await openImage(bytesOf(output), { maxPixels: 1e8 }).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data.every((value) => value === 0));
  assert.is((output.meta.spectrogram as Record<string, unknown>).maxDb, null);
});

test('deterministic bytes; parameters change them', async () => {
  const input = tone();
  const run = async (raw: Record<string, string | number>) => bytesOf(await outputOf(audioSpectrogram, input, params(raw)));
  assert.ok((await run({ frame: 256 })).equals(await run({ frame: 256 })));
  assert.ok((await run({ as: 'png' })).equals(await run({ as: 'png' })));
  assert.not.ok((await run({ frame: 256 })).equals(await run({ frame: 256, hop: 100 })));
  assert.not.ok((await run({ as: 'png' })).equals(await run({ as: 'png', range: 40 })));
});

test('a short file gives one zero-padded window; not WAV is rejected', async () => {
  const short = await outputOf(audioSpectrogram, inputOf('s.wav', pcm16Wav(RATE, [sine16(1000, RATE, 0.01)])), params({ frame: 512 }));
  assert.equal(readNpy(bytesOf(short)).shape, [1, 257]);
  assert.equal(await audioSpectrogram.apply(inputOf('x.wav', Buffer.alloc(100)), params({}), contextOf()), {
    rejected: 'audio is not a WAV file (no RIFF/WAVE header)',
  });
});

test('parameters: defaults follow the frame; the FFT size is checked', () => {
  assert.equal(params({}), { frame: 512, hop: 128, fft: 512, as: 'npy', range: 80 });
  assert.equal(params({ frame: '400', as: 'png' }), { frame: 400, hop: 100, fft: 512, as: 'png', range: 80 });
  assert.equal(invalidParam(() => params({ frame: 512, fft: 600 })), { field: 'fft', reason: 'must be a power of two not below frame (512)' });
  assert.is(invalidParam(() => params({ frame: 512, fft: 256 })).field, 'fft');
  assert.equal(invalidParam(() => params({ as: 'jpg' })), { field: 'as', reason: 'must be one of npy, png' });
});

test.run();
