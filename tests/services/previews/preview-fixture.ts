import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';
import { KyselyAccessStore } from '../../../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyMembershipStore } from '../../../adapters/db/kysely-membership-store.ts';
import type { Actor } from '../../../services/actor.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import { BlobService } from '../../../services/blob-service.ts';
import { DiskPreviewCache, type PreviewKey } from '../../../services/previews/preview-cache.ts';
import { PreviewService, type PreviewServiceDeps } from '../../../services/previews/preview-service.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/databases.ts';
import { ownerOfProject } from '../../server/http/http-fixture.ts';

/** The project whose blobs are previewed, and a second one that holds none of them. */
export const PHOTOS = 'photos';
export const OTHER = 'other';

export interface PreviewFixture {
  readonly database: TestDatabase;
  readonly blobs: BlobService;
  readonly cache: DiskPreviewCache;
  readonly previews: PreviewService;
  /** Owner of PHOTOS; owner of OTHER (and nothing in PHOTOS). */
  readonly owner: Actor;
  readonly stranger: Actor;
  /** Every decode the service did, in order. */
  readonly renders: PreviewKey[];
  /** Stores `bytes` as a blob of `project` (default PHOTOS); returns its hash. */
  store(bytes: Uint8Array, project?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A PreviewService over a real blob service (fs blob store, PGlite catalog and memberships) and
 * a disk cache in a fresh temporary directory, counting its decodes.
 */
export async function startPreviewFixture(options: Partial<Pick<PreviewServiceDeps, 'maxImagePixels' | 'maxSourceBytes'>> = {}): Promise<PreviewFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-previews-'));
  const database = await openTestDatabase('pglite');
  const audit = new AuditLog({ store: new KyselyAuditStore(database.db) });
  const access = new AccessControl({ memberships: new KyselyMembershipStore(database.db), audit });
  const blobs = new BlobService({
    blobs: new FsBlobStore({ root: join(dir, 'blobs') }),
    catalog: database.store.blobs,
    maxBlobBytes: 64 * 1024 * 1024,
    access,
    audit,
    grants: new KyselyAccessStore(database.db),
  });
  const owner = await ownerOfProject(database, PHOTOS);
  const stranger = await ownerOfProject(database, OTHER);
  const cache = new DiskPreviewCache({ root: join(dir, 'previews') });
  const renders: PreviewKey[] = [];
  const previews = new PreviewService({
    blobs,
    cache,
    maxImagePixels: options.maxImagePixels ?? 100_000_000,
    ...(options.maxSourceBytes === undefined ? {} : { maxSourceBytes: options.maxSourceBytes }),
    onRender: (key) => renders.push(key),
  });
  return {
    database,
    blobs,
    cache,
    previews,
    owner,
    stranger,
    renders,
    async store(bytes, project = PHOTOS) {
      const actor = project === PHOTOS ? owner : stranger;
      return (await blobs.put(actor, project, bytes)).hash;
    },
    async close() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A `width` × `height` JPEG of one colour. */
export function solidJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * A JPEG stored sideways: `width` × `height` pixels, the top row white and the rest black,
 * with EXIF orientation 6 (shown rotated 90° clockwise: the white row becomes the right column).
 */
export function sidewaysJpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  pixels.fill(255, 0, width * 3 * 8);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
}

/** A fully transparent `width` × `height` PNG. */
export function transparentPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toBuffer();
}

/** Reads a whole stream. */
export async function bytesOf(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Decoded size, format and pixels of an encoded image. */
export async function decoded(bytes: Buffer): Promise<{ width: number; height: number; format: string; data: Buffer; channels: number }> {
  const { format } = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, format, data, channels: info.channels };
}
