import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { openImage } from '../../adapters/image/open-image.ts';
import type { ItemTransform, TransformOutput } from '../../core/transforms/transform.ts';
import { rejectionOf } from '../image/apply-image.ts';
import { encodeImage } from '../image/image-encoding.ts';
import { integer, number, parseParams } from '../params.ts';
import { runFfmpeg } from './run-ffmpeg.ts';

const schema = z.strictObject({
  /** Frames taken per second of video (0.5: one every two seconds). */
  fps: number(0, 120, { above: true }).default(1),
  /** The most frames taken from one video; the rest is left out. */
  maxFrames: integer(1, 100_000).default(1000),
  /** JPEG quality of the frames. */
  quality: integer(1, 100).default(90),
});

export type FramesParams = z.output<typeof schema>;

const FRAME = /^frame-\d{6}\.png$/;

/**
 * `video.frames`, with the ffmpeg program to run (tests name a missing one).
 *
 * Each video gives frames `<path>/frame-000001.jpg`, `…-000002.jpg`… taken at `fps` by
 * ffmpeg's fps filter (nearest frame to each tick, from the first frame), at most `maxFrames`.
 * ffmpeg decodes them losslessly to PNG with its bit-exact flags, and each frame is then
 * encoded as JPEG through openImage with pinned options, so the bytes do not depend on
 * ffmpeg's JPEG encoder. Frame meta: the video's meta and `frame` (1-based), `time` (seconds,
 * (frame - 1) / fps), `video` (the source path), `width`, `height`; annotations are the video's.
 * A file ffmpeg cannot decode (not a video, damaged, no video stream) is rejected.
 * @throws InvalidInputError('ffmpeg') from apply when ffmpeg is not installed
 */
export function videoFramesWith(ffmpeg: string): ItemTransform<FramesParams> {
  return {
    kind: 'item',
    name: 'video.frames',
    version: '1',
    description: 'Extract JPEG frames from videos at a chosen rate (needs ffmpeg).',
    parseParams: (raw) => parseParams('video.frames', schema, raw),
    apply: async (input, params, context) => {
      const dir = await mkdtemp(join(tmpdir(), 'sheaf-frames-'));
      try {
        const source = join(dir, 'input');
        await writeFile(source, await input.bytes());
        // prettier-ignore
        const code = await runFfmpeg(ffmpeg, [
          '-nostdin', '-hide_banner', '-loglevel', 'error',
          '-i', source,
          '-map', '0:v:0',
          '-vf', `fps=fps=${params.fps}`,
          '-frames:v', String(params.maxFrames),
          '-sws_flags', 'accurate_rnd+bitexact+full_chroma_int',
          '-fflags', '+bitexact', '-flags:v', '+bitexact',
          '-pix_fmt', 'rgb24', '-f', 'image2',
          join(dir, 'frame-%06d.png'),
        ], context.signal);
        const names = (await readdir(dir)).filter((name) => FRAME.test(name)).sort();
        if (code !== 0 || names.length === 0) return { rejected: 'video could not be decoded (not a video, damaged, or without a video stream)' };
        const limit = { maxPixels: context.maxImagePixels };
        const outputs: TransformOutput[] = [];
        for (const [index, name] of names.entries()) {
          context.signal.throwIfAborted();
          const png = await readFile(join(dir, name));
          const frame = index + 1;
          let encoded;
          try {
            encoded = await encodeImage(openImage(png, limit), { format: 'jpeg', quality: params.quality }).toBuffer({ resolveWithObject: true });
          } catch (error) {
            return { rejected: `frame ${frame}: ${rejectionOf(error, limit).rejected}` };
          }
          outputs.push({
            path: `${input.path}/frame-${String(frame).padStart(6, '0')}.jpg`,
            content: encoded.data,
            meta: { ...input.meta, video: input.path, frame, time: (frame - 1) / params.fps, width: encoded.info.width, height: encoded.info.height },
            annotations: input.annotations,
            mediaType: 'image/jpeg',
          });
        }
        return outputs;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `video.frames` running the `ffmpeg` found on PATH. */
export const videoFrames = videoFramesWith('ffmpeg');
