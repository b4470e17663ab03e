import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioMono } from '../../../transforms/audio/mono.ts';
import { decodeWav } from '../../../transforms/audio/wav.ts';
import { bytesOf, contextOf, inputOf, invalidParam, keptBlobOf, outputOf } from '../transform-input.ts';
import { pcm16Wav, sine16 } from './wav-fixtures.ts';

const test = suite('audio.mono');
const params = audioMono.parseParams;

test('mono of identical channels is that channel, byte for byte', async () => {
  const tone = sine16(440, 16000, 0.25);
  const stereo = pcm16Wav(16000, [tone, tone]);
  const output = await outputOf(audioMono, inputOf('speech/a.wav', stereo, { meta: { speaker: 'x' } }), params({}));
  assert.is(output.path, 'speech/a.wav');
  assert.is(output.mediaType, 'audio/wav');
  assert.equal(output.meta, { speaker: 'x', sampleRate: 16000, channels: 1 });
  assert.ok(bytesOf(output).equals(pcm16Wav(16000, [tone])));
});

test('the average of the channels: opposite channels cancel, three channels average', async () => {
  const tone = sine16(1000, 8000, 0.1);
  const cancelled = decodeWav(bytesOf(await outputOf(audioMono, inputOf('a.wav', pcm16Wav(8000, [tone, tone.map((x) => -x)])), params({}))));
  assert.ok(cancelled.channels[0]!.every((x) => x === 0));
  const three = decodeWav(bytesOf(await outputOf(audioMono, inputOf('b.wav', pcm16Wav(8000, [[300, 0], [0, 0], [0, 3]])), params({}))));
  assert.equal([...three.channels[0]!].map((x) => x * 32768), [100, 1]);
});

test('a mono file is kept as it is; the output is deterministic', async () => {
  const mono = inputOf('m.wav', pcm16Wav(8000, [sine16(200, 8000, 0.1)]));
  assert.is(keptBlobOf(await outputOf(audioMono, mono, params({}))), mono.blob);
  const stereo = inputOf('s.wav', pcm16Wav(8000, [sine16(200, 8000, 0.1), sine16(300, 8000, 0.1)]));
  assert.ok(bytesOf(await outputOf(audioMono, stereo, params({}))).equals(bytesOf(await outputOf(audioMono, stereo, params({})))));
});

test('a file that is not WAV is rejected', async () => {
  assert.equal(await audioMono.apply(inputOf('x.wav', 'OggS....'), params({}), contextOf()), { rejected: 'audio is not a WAV file (no RIFF/WAVE header)' });
});

test('parameters: none taken', () => {
  assert.equal(params({}), {});
  assert.match(invalidParam(() => params({ channels: 1 })).reason, 'is not a parameter of audio.mono (it takes none)');
});

test.run();
