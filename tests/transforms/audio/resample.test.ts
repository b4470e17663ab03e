import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioResample } from '../../../transforms/audio/resample.ts';
import { decodeWav } from '../../../transforms/audio/wav.ts';
import { bytesOf, contextOf, inputOf, invalidParam, keptBlobOf, outputOf } from '../transform-input.ts';
import { pcm16Wav, sine16 } from './wav-fixtures.ts';

const test = suite('audio.resample');
const params = audioResample.parseParams;

/** Largest difference from a sine of `frequency` at `rate`, away from the edges (the kernel's reach). */
function errorAgainstSine(samples: Float64Array, frequency: number, rate: number, amplitude: number): number {
  let worst = 0;
  for (let n = 200; n < samples.length - 200; n++) worst = Math.max(worst, Math.abs(samples[n]! - amplitude * Math.sin((2 * Math.PI * frequency * n) / rate)));
  return worst;
}

test('downsampling a 1 kHz sine from 48 kHz to 16 kHz keeps its frequency and level', async () => {
  const input = inputOf('a.wav', pcm16Wav(48000, [sine16(1000, 48000, 0.5)]), { meta: { label: 'tone' } });
  const output = await outputOf(audioResample, input, params({ rate: '16000' }));
  assert.is(output.path, 'a.wav');
  assert.equal(output.meta, { label: 'tone', sampleRate: 16000, channels: 1 });
  const audio = decodeWav(bytesOf(output));
  assert.equal([audio.sampleRate, audio.format.bits, audio.channels[0]!.length], [16000, 16, 8000]);
  const error = errorAgainstSine(audio.channels[0]!, 1000, 16000, 0.5 * (32767 / 32768));
  assert.ok(error < 2e-4, `largest error ${error}`);
});

test('upsampling 440 Hz from 8 kHz to 22.05 kHz (an uneven ratio) keeps the sine', async () => {
  const output = await outputOf(audioResample, inputOf('a.wav', pcm16Wav(8000, [sine16(440, 8000, 0.5)])), params({ rate: 22050 }));
  const audio = decodeWav(bytesOf(output));
  assert.is(audio.channels[0]!.length, Math.ceil((4000 * 22050) / 8000));
  const error = errorAgainstSine(audio.channels[0]!, 440, 22050, 0.5 * (32767 / 32768));
  assert.ok(error < 2e-4, `largest error ${error}`);
});

test('a tone above the new Nyquist frequency is filtered out, not folded back', async () => {
  const output = await outputOf(audioResample, inputOf('a.wav', pcm16Wav(48000, [sine16(7000, 48000, 0.5)])), params({ rate: 8000 }));
  const samples = decodeWav(bytesOf(output)).channels[0]!;
  let energy = 0;
  for (let n = 200; n < samples.length - 200; n++) energy += samples[n]! ** 2;
  const rms = Math.sqrt(energy / (samples.length - 400));
  assert.ok(rms < 1e-4, `rms ${rms} (an unfiltered 7 kHz tone would alias to 1 kHz at rms 0.35)`);
});

test('channels are resampled each on its own', async () => {
  const output = await outputOf(audioResample, inputOf('s.wav', pcm16Wav(16000, [sine16(500, 16000, 0.2), new Array(3200).fill(0)])), params({ rate: 8000 }));
  const audio = decodeWav(bytesOf(output));
  assert.is(audio.channels.length, 2);
  assert.ok(audio.channels[1]!.every((x) => x === 0));
  assert.ok(errorAgainstSine(audio.channels[0]!, 500, 8000, 0.5 * (32767 / 32768)) < 2e-4);
});

test('the same rate keeps the file; deterministic bytes; another rate other bytes', async () => {
  const input = inputOf('a.wav', pcm16Wav(16000, [sine16(300, 16000, 0.2)]));
  assert.is(keptBlobOf(await outputOf(audioResample, input, params({ rate: 16000 }))), input.blob);
  const a = bytesOf(await outputOf(audioResample, input, params({ rate: 11025 })));
  const b = bytesOf(await outputOf(audioResample, input, params({ rate: 11025 })));
  const c = bytesOf(await outputOf(audioResample, input, params({ rate: 12000 })));
  assert.ok(a.equals(b));
  assert.not.ok(a.equals(c));
});

test('a damaged file is rejected; an abort stops the run', async () => {
  const file = pcm16Wav(16000, [sine16(300, 16000, 0.2)]);
  file.writeUInt16LE(7, 20); // μ-law
  assert.equal(await audioResample.apply(inputOf('a.wav', file), params({ rate: 8000 }), contextOf()), {
    rejected: 'audio has an unsupported encoding (format tag 7; PCM and IEEE float are read)',
  });
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  const run = audioResample.apply(inputOf('b.wav', pcm16Wav(16000, [sine16(300, 16000, 0.2)])), params({ rate: 8000 }), contextOf({ signal: controller.signal }));
  await run.then(() => assert.unreachable('ran after the abort'), (error: Error) => assert.is(error.message, 'stop'));
});

test('parameters', () => {
  assert.equal(params({ rate: '44100' }), { rate: 44100 });
  assert.equal(invalidParam(() => params({})), { field: 'rate', reason: 'must be an integer from 1000 to 384000' });
  assert.is(invalidParam(() => params({ rate: 500 })).field, 'rate');
});

test.run();
