import { useCallback, useEffect, useRef, useState } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';
import { messageOf } from '../api/api-error.ts';
import { labeling, type ReviewTask } from '../api/labeling.ts';
import { itemText } from './item-text.ts';

/** A review decision as the page sends it. */
export interface Decision {
  readonly decision: 'accept' | 'reject';
  readonly comment?: string;
  readonly annotations?: readonly Annotation[];
}

/** The outcome of the last decision the server answered. */
export interface DecisionOutcome {
  readonly path: string;
  readonly decision: 'accept' | 'reject';
  readonly error: string | null;
}

export interface ReviewQueueState {
  /** The item on screen; null when the queue is empty (or still loading). */
  readonly current: ReviewTask | null;
  /** Items fetched and waiting after the current one. */
  readonly waiting: number;
  readonly loading: boolean;
  readonly error: unknown;
  /** Decisions sent and not answered yet. */
  readonly pending: number;
  readonly last: DecisionOutcome | null;
  /** Decides the current item: the next one shows at once, the decision is sent behind it. */
  decide(decision: Decision): void;
  /** Asks the server for the queue again. */
  refresh(): void;
}

/** Fetch more once this few items are left, so the next one is always ready. */
const LOW_WATER = 2;
const BATCH = 10;

/**
 * The review queue of a labeling project, lowest agreement first, kept a few items ahead: the
 * next items' previews (or texts) are loaded while the current one is reviewed, so a decision
 * shows the next item immediately. A decision is sent in the background (not retried: a
 * review is not idempotent); if it fails, the item comes back to the front with the reason.
 * Items decided on this page are not shown again when a refetch crosses their decision.
 */
export function useReviewQueue(project: string, labelingProject: string, media: string | null): ReviewQueueState {
  const [items, setItems] = useState<ReviewTask[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(0);
  const [last, setLast] = useState<DecisionOutcome | null>(null);
  const decided = useRef(new Set<string>());
  const acknowledged = useRef(new Set<string>());
  const fetching = useRef(false);
  const exhausted = useRef(false);
  const preloaded = useRef(new Map<string, HTMLImageElement>());

  const fetchMore = useCallback(
    async (reset: boolean) => {
      if (fetching.current) return;
      fetching.current = true;
      setLoading(true);
      try {
        const queue = await labeling.reviewQueue(project, labelingProject, BATCH);
        exhausted.current = queue.length < BATCH;
        setError(null);
        setItems((held) => {
          const base = reset ? [] : held;
          const known = new Set(base.map((t) => t.path));
          return [...base, ...queue.filter((t) => !known.has(t.path) && !decided.current.has(t.path))];
        });
      } catch (failure) {
        setError(failure);
      } finally {
        fetching.current = false;
        setLoading(false);
      }
    },
    [project, labelingProject],
  );

  useEffect(() => {
    decided.current.clear();
    acknowledged.current.clear();
    exhausted.current = false;
    setItems([]);
    void fetchMore(true);
  }, [fetchMore]);

  // Keep the queue topped up, and the next items' content loading in the background.
  useEffect(() => {
    if (items.length <= LOW_WATER && !exhausted.current && !fetching.current) void fetchMore(false);
    for (const task of items.slice(1, 1 + LOW_WATER)) {
      if (media === 'image' && !preloaded.current.has(task.previewUrl)) {
        const image = new Image();
        image.src = task.previewUrl;
        image.decode().catch(() => undefined);
        preloaded.current.set(task.previewUrl, image);
        if (preloaded.current.size > 8) preloaded.current.delete(preloaded.current.keys().next().value!);
      } else if (media === 'text' || media === 'timeseries') itemText(task.contentUrl).catch(() => undefined);
    }
  }, [items, media, fetchMore]);

  const decide = useCallback(
    (decision: Decision) => {
      const task = items[0];
      if (!task) return;
      decided.current.add(task.path);
      setItems((held) => held.filter((t) => t.path !== task.path));
      setPending((n) => n + 1);
      labeling
        .reviewItem({ project, labelingProject, path: task.path, ...decision })
        .then(
          () => {
            acknowledged.current.add(task.path);
            setLast({ path: task.path, decision: decision.decision, error: null });
          },
          (failure: unknown) => {
            decided.current.delete(task.path);
            setItems((held) => [task, ...held.filter((t) => t.path !== task.path)]);
            setLast({ path: task.path, decision: decision.decision, error: messageOf(failure) });
          },
        )
        .finally(() => setPending((n) => n - 1));
    },
    [items, project, labelingProject],
  );

  const refresh = useCallback(() => {
    // The server has these decisions: if such an item is in review again, it is a new round.
    for (const path of acknowledged.current) decided.current.delete(path);
    acknowledged.current.clear();
    exhausted.current = false;
    void fetchMore(true);
  }, [fetchMore]);

  return { current: items[0] ?? null, waiting: Math.max(0, items.length - 1), loading, error, pending, last, decide, refresh };
}
