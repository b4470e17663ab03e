import { createHash } from 'node:crypto';
import { canonicalJson, parseJsonObject, type JsonObject, type JsonValue } from '../../core/canonical-json.ts';
import { CoreError, InvalidInputError, LineTooLongError } from '../../core/errors.ts';
import { parseBranchName, parseDatasetName } from '../../core/ids.ts';
import type { Clock } from '../../core/ports.ts';
import { MAX_META_BYTES } from '../../core/versioning/staged-changes.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import { BranchWriter, type BranchTarget, type IngestItem } from './branch-writer.ts';
import { CommitWindow } from './commit-window.ts';
import { keeps, parseKeepRule, type KeepRule } from './keep-rule.ts';
import { hashValue, parsePathTemplate, renderPath, seqValue, timestampValue, type PathTemplate, type Placeholder, type PlaceholderSet } from './path-template.ts';
import type { Line } from './split-lines.ts';
import { MAX_EVERY, MAX_SECONDS } from './stream-config.ts';

/** How an upload's lines become items, as the request's query gives it. */
export interface NdjsonOptions {
  /** Item path template; see NDJSON_PLACEHOLDERS. Default `ndjson/{hash:16}.json`. */
  readonly path?: string | undefined;
  /** Comma-separated record fields copied into the meta, e.g. `deviceId,site.name`. */
  readonly meta?: string | undefined;
  /** Keep rule on the meta (keep-rule.ts). */
  readonly keep?: string | undefined;
  /** Commit every this many items… */
  readonly every?: number | undefined;
  /** …or once the oldest uncommitted item is this old; without either, once at the end. */
  readonly seconds?: number | undefined;
}

/** A line that became no item, and why. */
export interface RejectedLine {
  readonly line: number;
  readonly code: string;
  readonly reason: string;
}

export interface NdjsonResult {
  /** Lines that became items (staged and committed). */
  readonly accepted: number;
  /** Good lines the keep rule dropped. */
  readonly dropped: number;
  /** The first MAX_LISTED_REJECTIONS refused lines, in line order. */
  readonly rejected: readonly RejectedLine[];
  readonly rejectedCount: number;
  /** The last commit made, or null when nothing changed. */
  readonly commit: string | null;
  /** Every commit made, in order. */
  readonly commits: readonly string[];
}

export const DEFAULT_NDJSON_PATH = 'ndjson/{hash:16}.json';
/** Longest line read; longer ones are refused as LINE_TOO_LONG. */
export const MAX_LINE_BYTES = 1024 * 1024;
export const MAX_LISTED_REJECTIONS = 1000;
const MAX_META_FIELDS = 32;
const BATCH_ITEMS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;
const MEDIA_TYPE = 'application/json';

/**
 * The placeholders of an upload's path template: `{seq}` (the line number, zero-padded),
 * `{hash}` or `{hash:N}` (sha256 of the record's canonical JSON), `{timestamp}` (when the line
 * was read) and `{record.<field>[.<field>…]}` (a string, number or boolean of the record).
 */
export const NDJSON_PLACEHOLDERS: PlaceholderSet = {
  has: (name) => ['seq', 'hash', 'timestamp'].includes(name) || /^record\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(name),
  sample: (p) => (p.name === 'hash' ? 'a'.repeat(p.length ?? 64) : p.name === 'timestamp' ? '2024-01-01T000000.000Z' : p.name === 'seq' ? '000000000001' : 'value'),
};

/**
 * NDJSON uploads into a branch: each line a JSON object (a time-series point, a text record, an
 * event) that becomes one item, its content the record's canonical JSON (application/json),
 * stored and staged through BlobService and DatasetService as the uploader, and committed in
 * windows or at the end. Bad lines are refused one by one, with their line numbers; good lines
 * are kept whatever the others hold.
 */
export class NdjsonIngest {
  constructor(private readonly deps: { readonly access: AccessControl; readonly blobs: BlobService; readonly datasets: DatasetService; readonly clock?: Clock | undefined }) {}

  /**
   * Checks the options and the uploader's permission before any of the body is read.
   * @throws InvalidNameError, InvalidInputError, PathTemplateError, KeepRuleError, ForbiddenError
   */
  async prepare(actor: Actor | null, target: BranchTarget, options: NdjsonOptions): Promise<NdjsonUpload> {
    parseDatasetName(target.dataset);
    parseBranchName(target.branch);
    const template = parsePathTemplate(options.path ?? DEFAULT_NDJSON_PATH, NDJSON_PLACEHOLDERS);
    const keep = options.keep === undefined ? null : parseKeepRule(options.keep);
    const metaFields = parseMetaFields(options.meta);
    const every = optionalInteger('every', options.every, MAX_EVERY);
    const seconds = optionalInteger('seconds', options.seconds, MAX_SECONDS);
    const who = await this.deps.access.require(actor, { project: target.project, permission: 'data.write', dataset: target.dataset, branch: target.branch, action: 'items.ndjson' });
    const writer = new BranchWriter(this.deps, target);
    return new NdjsonUpload(who, writer, this.deps.clock ?? { now: () => new Date() }, { template, keep, metaFields, every, seconds });
  }
}

/** One upload under way: feed it the body's lines with `run`. */
export class NdjsonUpload {
  private readonly window: CommitWindow | null;
  private accepted = 0;
  private dropped = 0;
  private rejectedCount = 0;
  private readonly rejected: RejectedLine[] = [];
  private readonly commits: string[] = [];
  private batch: IngestItem[] = [];
  private batchBytes = 0;
  private batchStartedAt = new Date(0);

  constructor(
    private readonly actor: Actor,
    private readonly writer: BranchWriter,
    private readonly clock: Clock,
    private readonly rules: { template: PathTemplate; keep: KeepRule | null; metaFields: readonly string[][]; every: number | undefined; seconds: number | undefined },
  ) {
    const { every, seconds } = rules;
    this.window = every === undefined && seconds === undefined ? null : new CommitWindow({ every: every ?? MAX_EVERY, seconds: seconds ?? MAX_SECONDS });
  }

  /**
   * Reads every line, writes the good ones in batches, commits when the window is due and at
   * the end.
   * @throws ForbiddenError, NotFoundError (dataset, branch), the store's errors: what was
   * committed before stays; what was staged since stays staged
   */
  async run(lines: AsyncIterable<Line>): Promise<NdjsonResult> {
    for await (const line of lines) {
      const item = this.itemOf(line);
      if (item === null) continue;
      if (this.batch.length === 0) this.batchStartedAt = this.clock.now();
      this.batch.push(item);
      this.batchBytes += item.content.byteLength;
      if (this.batchFull()) await this.flush();
    }
    await this.flush();
    await this.commit();
    return {
      accepted: this.accepted,
      dropped: this.dropped,
      rejected: this.rejected,
      rejectedCount: this.rejectedCount,
      commit: this.commits[this.commits.length - 1] ?? null,
      commits: this.commits,
    };
  }

  /** The line's item; null for a blank line, a refused one (recorded) or a dropped one (counted). */
  private itemOf(line: Line): IngestItem | null {
    if ('tooLong' in line) return this.reject(line.number, new LineTooLongError(MAX_LINE_BYTES));
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(line.bytes);
    } catch {
      return this.reject(line.number, new InvalidInputError('line', 'is not UTF-8'));
    }
    if (text.trim() === '') return null;
    try {
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        throw new InvalidInputError('line', 'is not JSON');
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new InvalidInputError('line', 'is not a JSON object');
      const fields = record as Record<string, unknown>;
      const content = Buffer.from(canonicalJson(record, 'record'));
      const meta = this.metaOf(fields);
      if (this.rules.keep !== null && !keeps(this.rules.keep, meta)) {
        this.dropped++;
        return null;
      }
      const hash = createHash('sha256').update(content).digest('hex');
      const receivedAt = this.clock.now();
      const path = renderPath(this.rules.template, (p) => placeholder(p, fields, hash, line.number, receivedAt));
      return { path, content, hash, meta, mediaType: MEDIA_TYPE };
    } catch (error) {
      if (error instanceof CoreError) return this.reject(line.number, error);
      throw error;
    }
  }

  /** The record's `meta` object with the `?meta=` fields laid over it. @throws InvalidInputError */
  private metaOf(record: Record<string, unknown>): JsonObject {
    const own = record.meta;
    if (own !== undefined && (typeof own !== 'object' || own === null || Array.isArray(own))) throw new InvalidInputError('meta', 'is not a JSON object');
    const meta: JsonObject = { ...(own as JsonObject | undefined) };
    for (const field of this.rules.metaFields) {
      const value = lookup(record, field);
      if (value === undefined) continue;
      let at = meta;
      for (const key of field.slice(0, -1)) {
        const next = at[key];
        at = at[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
      }
      at[field[field.length - 1]!] = value as JsonValue;
    }
    return parseJsonObject(meta, 'meta', MAX_META_BYTES).value;
  }

  private reject(line: number, error: CoreError): null {
    this.rejectedCount++;
    if (this.rejected.length < MAX_LISTED_REJECTIONS) this.rejected.push({ line, code: error.code, reason: error.message });
    return null;
  }

  /**
   * Whether to write the batch now: it is large, or a commit window closes with it (so that
   * `every` and `seconds` hold between batches too, not only at their ends).
   */
  private batchFull(): boolean {
    if (this.batch.length >= BATCH_ITEMS || this.batchBytes >= BATCH_BYTES) return true;
    const { every, seconds } = this.rules;
    if (every !== undefined && (this.window?.pending ?? 0) + this.batch.length >= every) return true;
    return seconds !== undefined && this.clock.now().getTime() - this.batchStartedAt.getTime() >= seconds * 1000;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    await this.writer.write(this.actor, items);
    this.accepted += items.length;
    // Counted from when the batch's first line arrived: a line waits at most `seconds` to be committed.
    this.window?.add(items.length, this.batchStartedAt);
    if (this.window?.due(this.clock.now())) await this.commit();
  }

  private async commit(): Promise<void> {
    const { accepted } = this;
    if (this.window !== null && this.window.pending === 0) return;
    if (this.window === null && accepted === 0) return;
    const result = await this.writer.commit(this.actor, `NDJSON upload: ${this.window?.pending ?? accepted} record(s)`, { source: 'ndjson' });
    this.window?.reset();
    if (result?.created) this.commits.push(result.commit.id);
  }
}

function placeholder(p: Placeholder, record: Record<string, unknown>, hash: string, line: number, at: Date): string {
  if (p.name === 'hash') return hashValue(hash, p);
  if (p.name === 'seq') return seqValue(line);
  if (p.name === 'timestamp') return timestampValue(at);
  const value = lookup(record, p.name.split('.').slice(1));
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new InvalidInputError(`{${p.name}}`, 'is missing from the record or not a string, number or boolean');
}

function lookup(record: unknown, field: readonly string[]): unknown {
  let at = record;
  for (const key of field) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** `deviceId,site.name` → [['deviceId'], ['site', 'name']]. @throws InvalidInputError('meta') */
function parseMetaFields(value: string | undefined): string[][] {
  if (value === undefined || value === '') return [];
  const fields = value.split(',').map((f) => f.trim());
  if (fields.length > MAX_META_FIELDS) throw new InvalidInputError('meta', `names at most ${MAX_META_FIELDS} fields`);
  return fields.map((field) => {
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(field)) throw new InvalidInputError('meta', `${JSON.stringify(field.slice(0, 80))} is not a field like deviceId or site.name`);
    return field.split('.');
  });
}

function optionalInteger(field: string, value: number | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new InvalidInputError(field, `must be an integer from 1 to ${max}`);
  return value;
}
