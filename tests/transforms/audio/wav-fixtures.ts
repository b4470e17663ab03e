/**
 * A 16-bit PCM WAV written field by field, independently of transforms/audio/wav.ts, so the
 * tests check that module against the format rather than against itself. `channels` holds
 * integer samples (−32768..32767); `extraChunk` is placed between fmt and data.
 */
export function pcm16Wav(sampleRate: number, channels: readonly (readonly number[])[], extraChunk?: { id: string; body: Buffer }): Buffer {
  const frames = channels[0]!.length;
  const data = Buffer.alloc(frames * channels.length * 2);
  for (let i = 0; i < frames; i++) for (let c = 0; c < channels.length; c++) data.writeInt16LE(channels[c]![i]!, (i * channels.length + c) * 2);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(channels.length, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * channels.length * 2, 8);
  fmt.writeUInt16LE(channels.length * 2, 12);
  fmt.writeUInt16LE(16, 14);
  const chunks = [chunk('fmt ', fmt), ...(extraChunk ? [chunk(extraChunk.id, extraChunk.body)] : []), chunk('data', data)];
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
}

/** `seconds` of a sine of `frequency` Hz and peak `amplitude` (0..1) as 16-bit integers. */
export function sine16(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): number[] {
  return Array.from({ length: Math.round(sampleRate * seconds) }, (_, n) => Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * n) / sampleRate)));
}
