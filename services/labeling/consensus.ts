import { itemAgreement } from '../../core/labels/agreement.ts';
import type { Annotation } from '../../core/labels/annotation.ts';

/** What the overlapped submissions of one item come to. */
export type Consensus =
  | { readonly outcome: 'done'; readonly annotations: Annotation[]; readonly agreement: number | null; readonly kind: AgreementKind }
  | { readonly outcome: 'review'; readonly agreement: number | null; readonly kind: AgreementKind; readonly reason: string };

export type AgreementKind = 'class' | 'geometry' | 'none';

/**
 * The consensus rule of a labeling project over the submissions of one item, in the order they
 * came: their agreement (itemAgreement in core/labels/agreement.ts) at or above `threshold`
 * stages the agreed annotations — the majority class set for class labels, the first
 * submission's annotations for shapes; below it the item goes to review. Submissions with
 * nothing comparable agree when all are empty (the item has nothing to mark) and go to review
 * otherwise (masks are not compared).
 */
export function consensusOf(submissions: readonly (readonly Annotation[])[], threshold: number): Consensus {
  const { kind, score } = itemAgreement(submissions);
  if (kind === 'none') {
    if (submissions.every((s) => s.length === 0)) return { outcome: 'done', annotations: [], agreement: 1, kind };
    return { outcome: 'review', agreement: null, kind, reason: 'the submissions hold nothing that can be compared' };
  }
  if (score !== null && score >= threshold) return { outcome: 'done', annotations: agreedAnnotations(submissions), agreement: score, kind };
  return { outcome: 'review', agreement: score, kind, reason: `agreement ${formatScore(score)} is below the threshold ${threshold}` };
}

/**
 * The annotations a consensus stages: when the submissions compare by class, the submission
 * whose class set most labelers chose (the earliest on a tie); otherwise the first submission.
 */
export function agreedAnnotations(submissions: readonly (readonly Annotation[])[]): Annotation[] {
  if (submissions.length === 0) return [];
  const { kind } = itemAgreement(submissions);
  if (kind !== 'class') return [...submissions[0]!];
  const votes = new Map<string, { count: number; first: number }>();
  submissions.forEach((annotations, i) => {
    const key = classSetOf(annotations);
    const vote = votes.get(key);
    if (vote) vote.count++;
    else votes.set(key, { count: 1, first: i });
  });
  let best = { count: 0, first: 0 };
  for (const vote of votes.values()) if (vote.count > best.count || (vote.count === best.count && vote.first < best.first)) best = vote;
  return [...submissions[best.first]!];
}

/** The classes of an item's class annotations as one comparable string (sorted, JSON). */
export function classSetOf(annotations: readonly Annotation[]): string {
  return JSON.stringify([...new Set(annotations.filter((a) => a.kind === 'class').map((a) => a.label))].sort());
}

function formatScore(score: number | null): string {
  return score === null ? 'unknown' : score.toFixed(3);
}
