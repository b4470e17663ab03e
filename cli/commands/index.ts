import type { CommandSpec } from '../command.ts';
import { branchCommand } from './branch.ts';
import { catCommand } from './cat.ts';
import { cloneCommand } from './clone.ts';
import { datasetCreateCommand } from './dataset-create.ts';
import { datasetListCommand } from './dataset-list.ts';
import { diffCommand } from './diff.ts';
import { exportCommand } from './export.ts';
import { transformListCommand, transformRunCommand } from './transform.ts';
import { jobCancelCommand, jobListCommand, jobShowCommand, jobStartCommand, jobWatchCommand } from './job.ts';
import { logCommand } from './log.ts';
import { labelsExportCommand, labelsImportCommand } from './labels.ts';
import {
  labelingCommitCommand,
  labelingCreateCommand,
  labelingHistoryCommand,
  labelingListCommand,
  labelingMemberCommand,
  labelingShowCommand,
  labelingStatusCommand,
  labelingUpdateCommand,
} from './labeling.ts';
import { memberListCommand, memberRemoveCommand, memberSetCommand } from './member.ts';
import { projectCreateCommand, projectListCommand } from './project.ts';
import { mergeCommand } from './merge.ts';
import { pushCommand } from './push.ts';
import { serveCommand } from './serve.ts';
import { streamCreateCommand, streamDeleteCommand, streamListCommand, streamPauseCommand, streamResumeCommand, streamShowCommand } from './stream.ts';
import { tagCommand } from './tag.ts';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token.ts';
import { userCreateCommand, userListCommand, userPasswdCommand, whoamiCommand } from './user.ts';
import { workerCommand } from './worker.ts';

/** Every `sheaf` command, in the order the usage lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  serveCommand,
  workerCommand,
  datasetCreateCommand,
  datasetListCommand,
  pushCommand,
  logCommand,
  branchCommand,
  tagCommand,
  diffCommand,
  cloneCommand,
  mergeCommand,
  exportCommand,
  catCommand,
  jobListCommand,
  jobShowCommand,
  jobStartCommand,
  jobWatchCommand,
  jobCancelCommand,
  transformListCommand,
  transformRunCommand,
  labelsImportCommand,
  labelsExportCommand,
  labelingCreateCommand,
  labelingListCommand,
  labelingShowCommand,
  labelingUpdateCommand,
  labelingMemberCommand,
  labelingStatusCommand,
  labelingCommitCommand,
  labelingHistoryCommand,
  streamCreateCommand,
  streamListCommand,
  streamShowCommand,
  streamPauseCommand,
  streamResumeCommand,
  streamDeleteCommand,
  whoamiCommand,
  projectCreateCommand,
  projectListCommand,
  memberSetCommand,
  memberListCommand,
  memberRemoveCommand,
  userCreateCommand,
  userListCommand,
  userPasswdCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
];
