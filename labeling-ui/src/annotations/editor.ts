/**
 * Who edits, and when: stamped on the model proposals a labeler decides on (`review.by`,
 * `review.time`). Annotations a labeler creates carry no `source`: the server stamps them with
 * the signed-in user and its own clock when they are submitted.
 */
export interface Editor {
  readonly user: string;
  /** ISO 8601 UTC. */
  readonly now: () => string;
}
