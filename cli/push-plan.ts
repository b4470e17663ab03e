import type { JsonValue } from '../core/canonical-json.ts';

/** A local file, hashed. */
export interface LocalFile {
  readonly path: string;
  readonly absolutePath: string;
  readonly blob: string;
  readonly size: number;
}

/** An item of the branch as the server lists it. */
export interface RemoteItem {
  readonly path: string;
  readonly blob: string;
  readonly size: number;
  readonly meta: JsonValue;
  readonly annotations: JsonValue;
}

/** The change the API stages: a put of an uploaded blob, or a deletion. */
export type ItemChange =
  | { readonly path: string; readonly blob: string; readonly meta?: JsonValue; readonly annotations?: JsonValue }
  | { readonly path: string; readonly delete: true };

/** What a push changes on its branch so that the branch holds exactly the local files. */
export interface PushPlan {
  readonly added: readonly LocalFile[];
  /** Files whose content differs from the item at the same path. */
  readonly modified: readonly { readonly local: LocalFile; readonly remote: RemoteItem }[];
  readonly removed: readonly RemoteItem[];
}

/**
 * Compares local files with the branch's items by path: absent remotely → added; a different
 * blob hash → modified; only remote → removed. Same content under the same path is unchanged
 * (whatever its meta and annotations).
 */
export function planPush(local: readonly LocalFile[], remote: readonly RemoteItem[]): PushPlan {
  const remoteByPath = new Map(remote.map((item) => [item.path, item]));
  const localPaths = new Set(local.map((file) => file.path));
  const added: LocalFile[] = [];
  const modified: { local: LocalFile; remote: RemoteItem }[] = [];
  for (const file of local) {
    const item = remoteByPath.get(file.path);
    if (!item) added.push(file);
    else if (item.blob !== file.blob) modified.push({ local: file, remote: item });
  }
  const removed = remote.filter((item) => !localPaths.has(item.path));
  return { added, modified, removed };
}

/** Whether the plan changes nothing. */
export function isEmptyPlan(plan: PushPlan): boolean {
  return plan.added.length === 0 && plan.modified.length === 0 && plan.removed.length === 0;
}

/** Files whose content the server needs: the added and modified ones. */
export function filesToSend(plan: PushPlan): LocalFile[] {
  return [...plan.added, ...plan.modified.map((m) => m.local)];
}

/**
 * The staged changes of a plan. A modified item keeps its meta and annotations: they belong
 * to the item at that path (labels, provenance), and a re-encoded file should not lose them
 * silently; relabeling is the labeling tools' job.
 */
export function changesOf(plan: PushPlan): ItemChange[] {
  return [
    ...plan.added.map((file) => ({ path: file.path, blob: file.blob })),
    ...plan.modified.map(({ local, remote }) => ({ path: local.path, blob: local.blob, meta: remote.meta, annotations: remote.annotations })),
    ...plan.removed.map((item) => ({ path: item.path, delete: true as const })),
  ];
}
