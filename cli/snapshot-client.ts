import { CliError, ExitCode } from './cli-error.ts';
import type { ApiItem } from './item-queries.ts';
import { chunks } from './map-concurrent.ts';
import { errorOfResponse, type ServerConnection } from './server-connection.ts';

/** What part of a snapshot is wanted; see docs/provisioning.md. */
export interface SnapshotSelection {
  readonly prefix?: string | undefined;
  readonly filter?: string | undefined;
}

/** An item of a manifest; `file` is its blob's path on the server, when asked for and exposed. */
export type ManifestItem = ApiItem & { readonly file?: string | undefined };

/** The server answers paths for at most this many blobs per request. */
export const MAX_PATHS_PER_REQUEST = 10_000;

/** A project's provisioning routes (`/v1/projects/<project>/snapshots/…`) and blob file paths. */
export class SnapshotClient {
  private readonly base: string;

  constructor(
    private readonly connection: ServerConnection,
    project: string,
  ) {
    this.base = `/v1/projects/${encodeURIComponent(project)}`;
  }

  /**
   * The selected items of a snapshot in path order, streamed from its JSON Lines manifest. The
   * server records the read as an export. With `paths`, items carry `file` (where the blob is
   * stored) when the server exposes blob paths, in one pass with the listing.
   * @throws CliError NOT_FOUND, INVALID_INPUT, FORBIDDEN, UNREACHABLE…
   */
  async *exportManifest(snapshot: string, selection: SnapshotSelection, options: { paths?: boolean } = {}): AsyncGenerator<ManifestItem> {
    const query = new URLSearchParams({ via: 'export' });
    if (options.paths) query.set('paths', '1');
    if (selection.prefix) query.set('prefix', selection.prefix);
    if (selection.filter) query.set('filter', selection.filter);
    const response = await this.connection.fetch(`${this.base}/snapshots/${encodeURIComponent(snapshot)}/manifest?${query}`);
    if (!response.ok) throw await errorOfResponse(response, `reading the manifest of snapshot ${snapshot}`);
    if (!response.body) throw unexpected('the server sent no manifest');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let rest = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
        rest = lines.pop()!;
        for (const line of lines) yield parseLine(line);
      }
      rest += decoder.decode();
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw this.connection.describe(error);
    }
    // Every line ends with a newline: anything after the last one is a manifest cut short.
    if (rest !== '') throw unexpected('the manifest ended in the middle of a line');
  }

  /**
   * Records that this client assembled an export of the snapshot from blobs it fetched itself
   * (an incremental export), as a lineage read edge.
   * @throws CliError NOT_FOUND, FORBIDDEN, UNREACHABLE…
   */
  async recordExport(snapshot: string, selection: SnapshotSelection): Promise<void> {
    const response = await this.connection.fetch(`${this.base}/snapshots/${encodeURIComponent(snapshot)}/reads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ via: 'export', prefix: selection.prefix, filter: selection.filter }),
    });
    if (!response.ok) throw await errorOfResponse(response, `recording the export of snapshot ${snapshot}`);
    await response.body?.cancel();
  }

  /**
   * Where each blob's file is on the server's filesystem (absent: not held by the project), or
   * null when the server does not expose paths (it answers 404).
   * @throws CliError FORBIDDEN, UNREACHABLE…
   */
  async blobPaths(hashes: readonly string[]): Promise<Map<string, string> | null> {
    const found = new Map<string, string>();
    for (const batch of chunks([...new Set(hashes)], MAX_PATHS_PER_REQUEST)) {
      const response = await this.connection.fetch(`${this.base}/blobs/paths`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hashes: batch }),
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) throw await errorOfResponse(response, 'asking where blobs are stored');
      const body = (await response.json().catch((error: unknown) => Promise.reject(this.connection.describe(error)))) as { paths?: unknown };
      if (!Array.isArray(body.paths) || body.paths.length !== batch.length) throw unexpected('the blob paths answer does not list one path per blob');
      batch.forEach((hash, i) => {
        const path = (body.paths as unknown[])[i];
        if (typeof path === 'string') found.set(hash, path);
      });
    }
    return found;
  }
}

function parseLine(line: string): ManifestItem {
  let item: ManifestItem;
  try {
    item = JSON.parse(line) as ManifestItem;
  } catch {
    throw unexpected('the manifest holds a line that is not JSON');
  }
  if (typeof item?.path !== 'string' || typeof item.blob !== 'string' || typeof item.size !== 'number')
    throw unexpected('the manifest holds a line that is not an item');
  return item;
}

function unexpected(message: string): CliError {
  return new CliError('UNEXPECTED', message, { exitCode: ExitCode.unexpected });
}
