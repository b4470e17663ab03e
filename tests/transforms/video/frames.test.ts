import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { videoFrames, videoFramesWith } from '../../../transforms/video/frames.ts';
import { headerOf } from '../image/image-fixtures.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputsOf } from '../transform-input.ts';

// Needs the ffmpeg program (Debian: apt-get install ffmpeg), which also makes the test video.
const test = suite('video.frames');
const params = videoFrames.parseParams;
let video: Buffer;

test.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-video-fixture-'));
  try {
    // 2 s of ffmpeg's moving test pattern at 10 frames per second, 64 × 48, H.264.
    const path = join(dir, 'clip.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=2:size=64x48:rate=10', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', path]);
    video = await readFile(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const framesDirs = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('sheaf-frames-')).length;

test('two frames a second from a 2-second clip: four JPEG frames under the video path', async () => {
  const before = await framesDirs();
  const input = inputOf('clips/a.mp4', video, { meta: { camera: 'north' }, annotations: { label: 'pattern' } });
  const outputs = await outputsOf(videoFrames, input, params({ fps: '2' }));
  assert.equal(
    outputs.map((output) => output.path),
    ['clips/a.mp4/frame-000001.jpg', 'clips/a.mp4/frame-000002.jpg', 'clips/a.mp4/frame-000003.jpg', 'clips/a.mp4/frame-000004.jpg'],
  );
  assert.equal(outputs[2]!.meta, { camera: 'north', video: 'clips/a.mp4', frame: 3, time: 1, width: 64, height: 48 });
  assert.equal(outputs[2]!.annotations, { label: 'pattern' });
  for (const output of outputs) {
    assert.is(output.mediaType, 'image/jpeg');
    const header = await headerOf(bytesOf(output));
    assert.equal([header.format, header.width, header.height], ['jpeg', 64, 48]);
  }
  // The pattern moves: frames differ.
  assert.not.ok(bytesOf(outputs[0]!).equals(bytesOf(outputs[1]!)));
  assert.is(await framesDirs(), before, 'the temporary directory is removed');
});

test('deterministic bytes; rate, limit and quality change the output', async () => {
  const input = inputOf('a.mp4', video);
  const a = await outputsOf(videoFrames, input, params({ fps: 2 }));
  const b = await outputsOf(videoFrames, input, params({ fps: 2 }));
  assert.equal(a.map((output) => bytesOf(output).toString('base64')), b.map((output) => bytesOf(output).toString('base64')));
  assert.is((await outputsOf(videoFrames, input, params({ fps: 5 }))).length, 10);
  assert.is((await outputsOf(videoFrames, input, params({ fps: 10, maxFrames: 3 }))).length, 3);
  const rough = await outputsOf(videoFrames, input, params({ fps: 2, quality: 20 }));
  assert.not.ok(bytesOf(rough[0]!).equals(bytesOf(a[0]!)));
});

test('a file that is not a video is rejected', async () => {
  assert.equal(await videoFrames.apply(inputOf('x.mp4', 'no video here'), params({}), contextOf()), {
    rejected: 'video could not be decoded (not a video, damaged, or without a video stream)',
  });
  const damaged = video.subarray(0, 200);
  assert.ok('rejected' in (await videoFrames.apply(inputOf('y.mp4', damaged), params({}), contextOf())));
});

test('frames over the pixel limit are rejected', async () => {
  assert.equal(await videoFrames.apply(inputOf('a.mp4', video), params({}), contextOf({ maxImagePixels: 1000 })), {
    rejected: 'frame 1: image has more than 1000 pixels',
  });
});

test('without ffmpeg: a typed error saying how to install it', async () => {
  try {
    await videoFramesWith('ffmpeg-that-is-not-installed').apply(inputOf('a.mp4', video), params({}), contextOf());
    assert.unreachable('ran without ffmpeg');
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.equal((error as InvalidInputError).data, { field: 'ffmpeg', reason: 'not installed: apt-get install ffmpeg' });
  }
});

test('an aborted run throws its reason and leaves no temporary files', async () => {
  const before = await framesDirs();
  const controller = new AbortController();
  controller.abort(new Error('cancelled'));
  try {
    await videoFrames.apply(inputOf('a.mp4', video), params({}), contextOf({ signal: controller.signal }));
    assert.unreachable('ran after the abort');
  } catch (error) {
    assert.is((error as Error).message, 'cancelled');
  }
  assert.is(await framesDirs(), before);
});

test('parameters', () => {
  assert.equal(params({}), { fps: 1, maxFrames: 1000, quality: 90 });
  assert.equal(params({ fps: '0.5' }).fps, 0.5);
  assert.equal(invalidParam(() => params({ fps: 0 })), { field: 'fps', reason: 'must be a number above 0 and at most 120' });
  assert.is(invalidParam(() => params({ maxFrames: 0 })).field, 'maxFrames');
});

test.run();
