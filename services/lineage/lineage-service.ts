import { canonicalJson } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { parseSnapshotHash } from '../../core/ids.ts';
import { isLineageKind, type LineageDirection, type LineageEdge, type LineageKind } from '../../core/lineage/lineage-edge.ts';
import type { LineageStore } from '../../core/lineage/lineage-store.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { ProjectGrants } from '../access/project-grants.ts';
import { credentialLabel, type Actor } from '../actor.ts';
import { parseSelection } from '../provision/selection.ts';
import { ReadThrottle } from './read-throttle.ts';

/** How a snapshot was read. */
export type ReadVia = 'tar' | 'webdataset' | 'manifest' | 'file' | 'export';
export const READ_VIAS: readonly ReadVia[] = ['tar', 'webdataset', 'manifest', 'file', 'export'];

/** A read as its lineage edge records it: the layout, and the selection when one was made. */
export interface ReadHow {
  readonly via: ReadVia;
  readonly prefix?: string | undefined;
  readonly filter?: string | undefined;
  /** `i/n`. */
  readonly shard?: string | undefined;
  /** WebDataset reads: the class names numbered for `.cls`, comma-separated. */
  readonly classes?: string | undefined;
}

export interface LineagePage {
  readonly hash: string;
  readonly direction: LineageDirection;
  /** All kinds when absent or empty. */
  readonly kinds?: readonly string[] | undefined;
  readonly limit: number;
  /** The `seq` of the last edge of the previous page, as a decimal string. */
  readonly after?: string | undefined;
}

export interface LineageServiceDeps {
  readonly store: LineageStore;
  readonly access: AccessControl;
  readonly grants: ProjectGrants;
  readonly clock?: { now(): Date } | undefined;
}

const DIRECTIONS: readonly LineageDirection[] = ['upstream', 'downstream', 'both'];
const MAX_ID = 256;
const MAX_SELECTION = 4096;

/**
 * Lineage of a project's objects. Reads of snapshots are recorded here by the routes that serve
 * them, so a training run can name the edge of what it read; later stages (transforms,
 * training, evaluation, serving) record their own kinds through the same store.
 *
 * File reads are many and small: one actor's reads of one snapshot's files are recorded at
 * most once a minute per server process (ReadThrottle). Every other read is recorded once per
 * request, before its first byte is sent, so an edge means the data was served (perhaps not
 * to the end, if the client stopped).
 */
export class LineageService {
  private readonly fileReads = new ReadThrottle();
  private readonly clock: { now(): Date };

  constructor(private readonly deps: LineageServiceDeps) {
    this.clock = deps.clock ?? { now: () => new Date() };
  }

  /**
   * Records that the actor read a snapshot of the project. Returns the edge, or null for a
   * file read inside the throttle window of an earlier one.
   * @throws InvalidHashError, InvalidInputError (also a selection that does not parse), ForbiddenError without `project.read`,
   * NotFoundError('snapshot') for a snapshot the project does not hold
   */
  async recordRead(actor: Actor | null, project: string, snapshot: string, how: ReadHow): Promise<LineageEdge | null> {
    const hash = parseSnapshotHash(snapshot);
    if (!READ_VIAS.includes(how.via)) throw new InvalidInputError('via', `must be one of ${READ_VIAS.join(', ')}`);
    for (const [field, value] of Object.entries(how))
      if (value !== undefined && (typeof value !== 'string' || value.length > MAX_SELECTION))
        throw new InvalidInputError(field, `must be a string of at most ${MAX_SELECTION} characters`);
    parseSelection(how);
    const who = await this.deps.access.require(actor, { project, permission: 'project.read', action: 'snapshot.read' });
    const key = `${who.userId ?? credentialLabel(who.credential)}\n${project}\n${hash}`;
    if (how.via === 'file' && !this.fileReads.admit(key, this.clock.now().getTime())) return null;
    try {
      if (!(await this.deps.grants.hasSnapshot(project, hash))) throw new NotFoundError('snapshot', hash);
      return await this.deps.store.append({
        project,
        kind: 'read',
        source: hash,
        target: null,
        actorId: who.userId,
        actorName: who.name,
        credential: credentialLabel(who.credential),
        details: canonicalJson(JSON.parse(JSON.stringify(how))),
      });
    } catch (error) {
      if (how.via === 'file') this.fileReads.forget(key);
      throw error;
    }
  }

  /**
   * Edges reached from `hash` in the project (see LineageStore.walk), oldest first.
   * @throws InvalidInputError, ForbiddenError without `lineage.read`
   */
  async list(actor: Actor | null, project: string, page: LineagePage): Promise<LineageEdge[]> {
    await this.deps.access.require(actor, { project, permission: 'lineage.read', action: 'lineage.read' });
    if (typeof page.hash !== 'string' || page.hash.length === 0 || page.hash.length > MAX_ID)
      throw new InvalidInputError('hash', `must be a hash or id of 1 to ${MAX_ID} characters`);
    if (!DIRECTIONS.includes(page.direction)) throw new InvalidInputError('direction', `must be one of ${DIRECTIONS.join(', ')}`);
    const kinds: LineageKind[] = [];
    for (const kind of page.kinds ?? []) {
      if (!isLineageKind(kind)) throw new InvalidInputError('kinds', `${JSON.stringify(kind)} is not a lineage kind`);
      kinds.push(kind);
    }
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000) throw new InvalidInputError('limit', 'must be an integer from 1 to 1000');
    if (page.after !== undefined && !/^\d{1,15}$/.test(page.after)) throw new InvalidInputError('after', 'is not a cursor this API returned');
    return this.deps.store.walk({
      project,
      hash: page.hash,
      direction: page.direction,
      kinds,
      afterSeq: page.after === undefined ? undefined : Number(page.after),
      limit: page.limit,
    });
  }
}
