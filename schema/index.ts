import { builder } from './builder.ts';
import './errors.ts';
import './types/audit.ts';
import './types/branch.ts';
import './types/commit.ts';
import './types/dataset.ts';
import './types/diff.ts';
import './types/annotation-event.ts';
import './types/item.ts';
import './types/job.ts';
import './types/json.ts';
import './types/label-submission.ts';
import './types/labeling-dashboard.ts';
import './types/labeling-member.ts';
import './types/labeling-progress.ts';
import './types/labeling-project.ts';
import './types/labeling-task.ts';
import './types/lineage.ts';
import './types/membership.ts';
import './types/project.ts';
import './types/review.ts';
import './types/snapshot.ts';
import './types/storage.ts';
import './types/stream.ts';
import './types/tag.ts';
import './types/token.ts';
import './types/transform.ts';
import './types/user.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The API schema: every type registers itself on import; this file only assembles. */
export const schema = builder.toSchema({ sortSchema: true });
