import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { decodeWav, encodeWav, type SampleFormat } from '../../../transforms/audio/wav.ts';
import { pcm16Wav } from './wav-fixtures.ts';

const test = suite('WAV decoding and encoding');

function refusal(bytes: Uint8Array): string {
  try {
    decodeWav(bytes);
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.is((error as InvalidInputError).data.field, 'audio');
    return (error as InvalidInputError).data.reason;
  }
  assert.unreachable('decoded');
  return '';
}

test('a hand-written 16-bit stereo file decodes to its samples and re-encodes to the same bytes', () => {
  const file = pcm16Wav(22050, [
    [0, 1, -1, 32767, -32768],
    [100, -100, 16384, -16384, 0],
  ]);
  const audio = decodeWav(file);
  assert.equal(audio.sampleRate, 22050);
  assert.equal(audio.format, { encoding: 'int', bits: 16 });
  assert.equal([...audio.channels[0]!], [0, 1 / 32768, -1 / 32768, 32767 / 32768, -1]);
  assert.equal([...audio.channels[1]!], [100 / 32768, -100 / 32768, 0.5, -0.5, 0]);
  assert.ok(Buffer.from(encodeWav(audio)).equals(file));
});

test('every sample format round-trips, extremes included, in any channel count', () => {
  const formats: SampleFormat[] = [
    { encoding: 'int', bits: 8 },
    { encoding: 'int', bits: 16 },
    { encoding: 'int', bits: 24 },
    { encoding: 'int', bits: 32 },
    { encoding: 'float', bits: 32 },
    { encoding: 'float', bits: 64 },
  ];
  for (const format of formats) {
    for (const count of [1, 2, 3, 6]) {
      const step = format.encoding === 'int' ? 2 ** -(format.bits - 1) : 0.25;
      const channels = Array.from({ length: count }, (_, c) => Float64Array.from([-1, 1 - step, 0, step * (c + 1), -step * 3]));
      const bytes = encodeWav({ sampleRate: 8000, channels, format });
      const back = decodeWav(bytes);
      assert.equal(back.format, format);
      assert.equal(back.channels.map((channel) => [...channel]), channels.map((channel) => [...channel]), `${format.encoding}${format.bits} × ${count}`);
      const tag = new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true);
      assert.is(tag, count > 2 || format.bits > 16 ? 0xfffe : format.encoding === 'int' ? 1 : 3, 'format tag');
    }
  }
});

test('encoding rounds to the nearest step and clips', () => {
  const bytes = Buffer.from(encodeWav({ sampleRate: 8000, channels: [Float64Array.from([2, -2, 0.4 / 32768, 0.6 / 32768, Number.NaN])], format: { encoding: 'int', bits: 16 } }));
  const data = bytes.subarray(bytes.length - 10);
  assert.equal([0, 2, 4, 6, 8].map((at) => data.readInt16LE(at)), [32767, -32768, 0, 1, 0]);
  // 24-bit: -1 is 0x800000, little-endian, then a pad byte (chunks have even lengths).
  const low = Buffer.from(encodeWav({ sampleRate: 8000, channels: [Float64Array.from([-1])], format: { encoding: 'int', bits: 24 } }));
  assert.equal([...low.subarray(low.length - 4)], [0x00, 0x00, 0x80, 0x00]);
  assert.is(low.readUInt32LE(4), low.length - 8, 'RIFF size counts the pad byte');
});

test('unknown chunks are skipped (odd sizes padded); an unfinished data chunk is read to its last whole frame', () => {
  const file = pcm16Wav(8000, [[1, 2, 3]], { id: 'LIST', body: Buffer.from('odd') });
  assert.equal([...decodeWav(file).channels[0]!].map((x) => x * 32768), [1, 2, 3]);
  const unfinished = Buffer.from(pcm16Wav(8000, [[1, 2, 3]]).subarray(0, 44 + 5));
  unfinished.writeUInt32LE(0xffffffff, 40);
  assert.equal([...decodeWav(unfinished).channels[0]!].map((x) => x * 32768), [1, 2]);
});

test('what is not a WAV we read is refused with the reason', () => {
  assert.match(refusal(Buffer.from('ID3 this is an mp3')), 'no RIFF/WAVE header');
  const adpcm = pcm16Wav(8000, [[0]]);
  adpcm.writeUInt16LE(2, 20);
  assert.match(refusal(adpcm), 'format tag 2');
  const twelve = pcm16Wav(8000, [[0]]);
  twelve.writeUInt16LE(12, 34);
  assert.match(refusal(twelve), '12-bit');
  const misaligned = pcm16Wav(8000, [[0]]);
  misaligned.writeUInt16LE(3, 32);
  assert.match(refusal(misaligned), 'block size');
  assert.match(refusal(pcm16Wav(8000, [[0]]).subarray(0, 36)), 'no data chunk');
});

test.run();
