import { randomBytes, randomUUID } from 'node:crypto';
import type { JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { parseProjectName } from '../../core/ids.ts';
import type { AccessControl } from '../access/access-control.ts';
import { guardedMutation } from '../access/guarded-mutation.ts';
import type { Actor } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import type { DatasetService } from '../dataset-service.ts';
import type { IngestLog } from './ingest-log.ts';
import type { MessageSources } from './message-source.ts';
import { parseStreamConfig, parseStreamName, type StreamConfigInput } from './stream-config.ts';
import type { StreamRunners } from './stream-runners.ts';
import type { StreamState } from './stream-state.ts';
import type { DeadLetter, StreamRecord, StreamStore } from './stream-store.ts';

export interface StreamServiceDeps {
  readonly store: StreamStore;
  readonly runners: StreamRunners;
  readonly sources: MessageSources;
  readonly datasets: DatasetService;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  readonly log: IngestLog;
  readonly maxBlobBytes: number;
}

const MAX_PAGE = 1000;

/**
 * Stream use cases for the API and the CLI. Reading streams needs `project.read`; creating,
 * pausing, resuming and deleting one needs `data.write` on its target branch, and is audited.
 * A stream acts as the user who created it: it runs only while that user may write to its
 * branch (checked when it starts, on every batch, and every half minute when idle), and stops
 * with status `error` once they may not.
 */
export class StreamService {
  constructor(private readonly deps: StreamServiceDeps) {}

  /**
   * Creates a stream and starts it. Its branch is created from `main` when it does not exist.
   * @throws InvalidNameError, InvalidInputError, PathTemplateError, KeepRuleError,
   * ForbiddenError, NotFoundError('dataset'), AlreadyExistsError('stream')
   */
  async create(actor: Actor | null, project: string, name: string, input: StreamConfigInput): Promise<StreamRecord> {
    const request = { project, permission: 'data.write' as const, dataset: input.dataset, branch: input.branch, action: 'stream.create' };
    const inputs = { name, ...(JSON.parse(JSON.stringify({ ...input, broker: withoutCredentials(input.broker) })) as JsonObject) };
    const record = await guardedMutation(this.deps, actor, request, { target: `stream ${name}`, inputs }, async (who) => {
      if (who.userId === null) throw new InvalidInputError('actor', 'a stream acts as a user: create it with a user\'s token');
      const streamName = parseStreamName(name);
      const config = parseStreamConfig(input, { maxBlobBytes: this.deps.maxBlobBytes });
      const at = { project, dataset: config.dataset };
      await this.deps.datasets.getBranch(who, at, config.branch).catch(async (error: unknown) => {
        if (!(error instanceof NotFoundError) || error.data.kind !== 'branch') throw error;
        await this.deps.datasets.createBranch(who, at, config.branch, 'main');
      });
      const id = randomUUID();
      // Stable for the stream's life, so the broker's session survives restarts; 22 characters,
      // within the 23 every MQTT server must accept.
      const clientId = `sheaf-${randomBytes(8).toString('hex')}`;
      return this.deps.store.create({ id, project: parseProjectName(project), name: streamName, config, clientId, ownerId: who.userId });
    }, (r) => ({ id: r.id, clientId: r.clientId }));
    await this.deps.runners.start(record);
    return record;
  }

  /** @throws ForbiddenError, InvalidInputError for a bad page */
  async list(actor: Actor | null, project: string, page: { after?: string | undefined; limit: number }): Promise<StreamRecord[]> {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'stream.list' });
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE) throw new InvalidInputError('limit', `must be an integer from 1 to ${MAX_PAGE}`);
    return this.deps.store.list(project, page);
  }

  /** @throws ForbiddenError, NotFoundError('stream') */
  async get(actor: Actor | null, project: string, name: string): Promise<StreamRecord> {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'stream.get' });
    return this.find(project, name);
  }

  /** The stream's state: live from its runner when it runs in this server. */
  state(record: StreamRecord): Promise<StreamState> {
    return this.deps.runners.stateOf(record);
  }

  /** Dead letters in arrival order. @throws ForbiddenError, NotFoundError('stream') */
  async deadLetters(actor: Actor | null, project: string, name: string, page: { after?: number | undefined; limit: number }): Promise<DeadLetter[]> {
    const record = await this.get(actor, project, name);
    return this.deps.store.deadLetters(record.id, page);
  }

  /**
   * Stops the stream, committing what it staged; the broker keeps its session and queues what
   * arrives meanwhile (up to the broker's queue limit). Pausing a paused stream changes nothing.
   * @throws ForbiddenError, NotFoundError('stream')
   */
  pause(actor: Actor | null, project: string, name: string): Promise<StreamRecord> {
    return this.change(actor, project, name, 'stream.pause', async (record) => {
      if (record.status === 'paused') return;
      await this.deps.store.setStatus(record.id, 'paused', null);
      await this.deps.runners.stop(record.id, { commit: true });
    });
  }

  /**
   * Starts a paused stream, or one stopped by an error, again. It checks its owner's
   * permission first, and stops with status `error` again if they still lack it.
   * @throws ForbiddenError, NotFoundError('stream')
   */
  resume(actor: Actor | null, project: string, name: string): Promise<StreamRecord> {
    return this.change(actor, project, name, 'stream.resume', async (record) => {
      await this.deps.store.setStatus(record.id, 'active', null);
      await this.deps.runners.start((await this.deps.store.getById(record.id))!);
    });
  }

  /**
   * Stops the stream (committing what it staged), deletes it with its dead letters, and ends
   * its session at the broker, dropping what the broker still queues for it.
   * @throws ForbiddenError, NotFoundError('stream')
   */
  async remove(actor: Actor | null, project: string, name: string): Promise<StreamRecord> {
    return this.change(actor, project, name, 'stream.delete', async (record) => {
      await this.deps.runners.stop(record.id, { commit: true });
      await this.deps.store.delete(record.id);
      const { broker } = record.config;
      // The broker may be unreachable; its session then ends when it expires.
      void this.deps.sources.discardSession({ broker, clientId: record.clientId }).catch((error: unknown) =>
        this.deps.log.warn({ stream: record.name, err: error }, 'could not end the deleted stream\'s broker session'),
      );
    });
  }

  /** A guarded, audited change of an existing stream; answers the stream as it is afterwards. */
  private async change(actor: Actor | null, project: string, name: string, action: string, work: (record: StreamRecord) => Promise<void>): Promise<StreamRecord> {
    const found = await this.deps.store.get(project, name);
    // Authorized on the stream's own branch; a stream that does not exist is authorized on the
    // project, so that the answer says nothing of it to someone who may not write there.
    const request = { project, permission: 'data.write' as const, dataset: found?.config.dataset, branch: found?.config.branch, action };
    return guardedMutation(this.deps, actor, request, { target: `stream ${name}`, inputs: {} }, async () => {
      if (!found) throw new NotFoundError('stream', name);
      await work(found);
      return (await this.deps.store.getById(found.id)) ?? found;
    });
  }

  private async find(project: string, name: string): Promise<StreamRecord> {
    const record = await this.deps.store.get(project, name);
    if (!record) throw new NotFoundError('stream', name);
    return record;
  }
}

/** The broker URL as the audit log may keep it: credentials (refused anyway) masked. */
function withoutCredentials(broker: unknown): unknown {
  if (typeof broker !== 'string') return broker;
  try {
    const url = new URL(broker);
    if (!url.username && !url.password) return broker;
    url.username = '***';
    url.password = '';
    return url.toString();
  } catch {
    return broker.slice(0, 200);
  }
}
