import { UsageError } from '../cli-error.ts';
import type { CommandArgs, CommandContext, CommandSpec } from '../command.ts';
import { STATUS_QUERY, statusText, toStatus, type LabelingStatus } from '../labeling-dashboard-view.ts';
import { blameSchemaFile, readLocalText, readSchemaFile } from '../labeling-files.ts';
import { PROJECT_FIELDS, plural, projectDetails, projectLine, type LabelingProjectView } from '../labeling-view.ts';
import { statusDisplay, watchLabeling } from '../labeling-watch.ts';

const WATCH_INTERVAL_MS = 2000;

const CREATE = `mutation($project: String!, $name: String!, $dataset: String!, $branch: String!, $schema: JSON!, $instructions: String,
  $overlap: Int, $overlapFraction: Float, $queueOrder: String, $autoCommitEvery: Int, $reviewThreshold: Float) {
  createLabelingProject(project: $project, name: $name, dataset: $dataset, branch: $branch, schema: $schema, instructions: $instructions,
    overlap: $overlap, overlapFraction: $overlapFraction, queueOrder: $queueOrder, autoCommitEvery: $autoCommitEvery, reviewThreshold: $reviewThreshold) { ${PROJECT_FIELDS} }
}`;

const SETTING_HELP: readonly (readonly [string, string])[] = [
  ['--schema <file.json>', 'the label schema: {media, classes: [{name, color, hotkey?}], tools, keypoints?} (docs/labeling.md)'],
  ['--instructions <file.md>', 'what labelers read before they start'],
  ['--order dataset|random|meta:<key>', 'queue order: path order, a stable shuffle, or ascending by a meta value (default dataset)'],
  ['--review-threshold <t>', 'agreement (0..1) below which an overlapped item goes to review (default 0.7)'],
];

/** `sheaf labeling create <name> --over <dataset@branch> --schema <file.json> …` */
export const labelingCreateCommand: CommandSpec = {
  name: 'labeling create',
  summary: 'start a labeling project over a branch',
  synopsis:
    'labeling create <name> --over <dataset@branch> --schema <file.json> [--instructions <file.md>] [--overlap <k> [--overlap-fraction <f>]] [--order dataset|random|meta:<key>] [--auto-commit <n>] [--review-threshold <t>]',
  description: [
    'Creates a labeling project with one task per committed item of the branch head (later commits',
    'of the branch add and remove tasks). Then add people with "labeling member set"; labelers also',
    'need the branch assigned to them ("member set <user> labeler --branches dataset@branch").',
    'For owners and maintainers. --json prints the project.',
  ].join('\n'),
  positionals: ['name'],
  options: {
    over: { type: 'string' },
    schema: { type: 'string' },
    instructions: { type: 'string' },
    overlap: { type: 'string' },
    'overlap-fraction': { type: 'string' },
    order: { type: 'string' },
    'auto-commit': { type: 'string' },
    'review-threshold': { type: 'string' },
  },
  requiredOptions: ['over', 'schema'],
  optionHelp: [
    ['--over <dataset@branch>', 'the branch to label'],
    ...SETTING_HELP,
    ['--overlap <k>', 'labelers per overlapped item, 1-10 (default 1: no overlap)'],
    ['--overlap-fraction <f>', 'share of items (0..1, stable by path) that get k labelers (default 1)'],
    ['--auto-commit <n>', 'commit the branch after every n label edits (default: manual commits)'],
  ],
  async run(context, args) {
    const command = 'labeling create';
    const over = args.string('over')!;
    const at = over.indexOf('@');
    if (at <= 0 || at === over.length - 1) throw new UsageError(`--over ${JSON.stringify(over)}: expected dataset@branch`, command);
    if (args.string('overlap-fraction') !== undefined && args.string('overlap') === undefined)
      throw new UsageError('--overlap-fraction needs --overlap (the labelers those items get)', command);
    const schemaFile = args.string('schema')!;
    // Arguments first, files second: a typo in a number is reported before any file is read.
    const settings = {
      overlap: wholeNumber(args, 'overlap', command),
      overlapFraction: fraction(args, 'overlap-fraction', command),
      queueOrder: args.string('order') ?? null,
      autoCommitEvery: wholeNumber(args, 'auto-commit', command),
      reviewThreshold: fraction(args, 'review-threshold', command),
    };
    const variables = {
      project: context.global.project,
      name: args.positional('name'),
      dataset: over.slice(0, at),
      branch: over.slice(at + 1),
      ...settings,
      schema: await readSchemaFile(schemaFile),
      instructions: await optionalText(args, 'instructions'),
    };
    const data = await context.graphql.request<{ createLabelingProject: LabelingProjectView }>(CREATE, variables).catch((error: unknown) => {
      throw blameSchemaFile(error, schemaFile);
    });
    const lp = data.createLabelingProject;
    return { json: lp, text: `created labeling project ${lp.name} over ${lp.dataset}@${lp.branch}: ${plural(lp.progress.total, 'task', 'tasks')}` };
  },
};

const UPDATE = `mutation($project: String!, $name: String!, $schema: JSON, $instructions: String, $queueOrder: String, $autoCommitEvery: Int, $reviewThreshold: Float) {
  updateLabelingProject(project: $project, name: $name, schema: $schema, instructions: $instructions, queueOrder: $queueOrder,
    autoCommitEvery: $autoCommitEvery, reviewThreshold: $reviewThreshold) { ${PROJECT_FIELDS} }
}`;

/** `sheaf labeling update <name> [--schema f] [--instructions f] [--order o] [--auto-commit n] [--review-threshold t]` */
export const labelingUpdateCommand: CommandSpec = {
  name: 'labeling update',
  summary: 'change the schema, instructions, queue order, auto-commit or review threshold',
  synopsis: 'labeling update <name> [--schema <file.json>] [--instructions <file.md>] [--order <order>] [--auto-commit <n>] [--review-threshold <t>]',
  description: 'Changes the settings given; the others stay. Overlap is fixed when the project is created. A new queue order re-sorts every open task. For owners and maintainers. --json prints the project.',
  positionals: ['name'],
  options: {
    schema: { type: 'string' },
    instructions: { type: 'string' },
    order: { type: 'string' },
    'auto-commit': { type: 'string' },
    'review-threshold': { type: 'string' },
  },
  optionHelp: [...SETTING_HELP, ['--auto-commit <n>', 'commit after every n label edits; 0 turns auto-commit off']],
  async run(context, args) {
    const command = 'labeling update';
    const given = ['schema', 'instructions', 'order', 'auto-commit', 'review-threshold'].filter((name) => args.string(name) !== undefined);
    if (given.length === 0) throw new UsageError('nothing to change: give at least one of --schema, --instructions, --order, --auto-commit, --review-threshold', command);
    const schemaFile = args.string('schema');
    const settings = {
      queueOrder: args.string('order') ?? null,
      autoCommitEvery: wholeNumber(args, 'auto-commit', command, 0),
      reviewThreshold: fraction(args, 'review-threshold', command),
    };
    const variables = {
      project: context.global.project,
      name: args.positional('name'),
      ...settings,
      schema: schemaFile === undefined ? null : await readSchemaFile(schemaFile),
      instructions: await optionalText(args, 'instructions'),
    };
    const data = await context.graphql.request<{ updateLabelingProject: LabelingProjectView }>(UPDATE, variables).catch((error: unknown) => {
      throw schemaFile === undefined ? error : blameSchemaFile(error, schemaFile);
    });
    const lp = data.updateLabelingProject;
    return { json: lp, text: `updated ${given.map((g) => `--${g}`).join(', ')}\n${projectDetails(lp)}` };
  },
};

const LIST = `query($project: String!) { labelingProjects(project: $project) { ${PROJECT_FIELDS} } }`;

/** `sheaf labeling list`: the labeling projects the caller may see. */
export const labelingListCommand: CommandSpec = {
  name: 'labeling list',
  summary: 'list the labeling projects with their progress',
  synopsis: 'labeling list',
  description: 'Each labeling project of the project you may see (labelers and reviewers: their own): name, branch, tasks done, your role. --json prints the projects.',
  positionals: [],
  options: {},
  async run(context) {
    const { labelingProjects } = await context.graphql.request<{ labelingProjects: LabelingProjectView[] }>(LIST, { project: context.global.project });
    return { json: labelingProjects, text: labelingProjects.map(projectLine).join('\n') };
  },
};

const SHOW = `query($project: String!, $name: String!) { labelingProject(project: $project, name: $name) { ${PROJECT_FIELDS} } }`;

/** `sheaf labeling show <name>`: settings, members and progress. */
export const labelingShowCommand: CommandSpec = {
  name: 'labeling show',
  summary: 'show a labeling project: settings, members, progress',
  synopsis: 'labeling show <name>',
  positionals: ['name'],
  options: {},
  async run(context, args) {
    const { labelingProject } = await context.graphql.request<{ labelingProject: LabelingProjectView }>(SHOW, { project: context.global.project, name: args.positional('name') });
    return { json: labelingProject, text: projectDetails(labelingProject) };
  },
};

const SET_MEMBER = `mutation($project: String!, $name: String!, $user: String!, $role: String!) {
  setLabelingMember(project: $project, labelingProject: $name, user: $user, role: $role) { user role }
}`;
const REMOVE_MEMBER = `mutation($project: String!, $name: String!, $user: String!) { removeLabelingMember(project: $project, labelingProject: $name, user: $user) }`;

/**
 * `sheaf labeling member set <name> <user> labeler|reviewer` and `… member remove <name> <user>`:
 * one command whose first argument is the action, as the command line has room for two words.
 */
export const labelingMemberCommand: CommandSpec = {
  name: 'labeling member',
  summary: 'add a labeler or reviewer to a labeling project (set), or remove one',
  synopsis: 'labeling member set <name> <user> labeler|reviewer  |  labeling member remove <name> <user>',
  description: [
    'set: makes the user a labeler (takes and submits tasks) or reviewer (reviews disagreements and',
    'commits) of the labeling project, or changes its role. The user works only while it also has',
    'label access to the branch: a project labeler assigned it ("member set <user> labeler',
    '--branches dataset@branch"). remove: takes the user off the project. For owners and maintainers.',
  ].join('\n'),
  positionals: ['action', 'name', 'user', 'role?'],
  options: {},
  async run(context, args) {
    const [action, name, user, role] = ['action', 'name', 'user', 'role'].map((p) => args.positional(p));
    const project = context.global.project;
    if (action === 'set') {
      if (role !== 'labeler' && role !== 'reviewer') throw new UsageError(role === undefined ? 'missing argument <labeler|reviewer>' : `role must be labeler or reviewer, not ${JSON.stringify(role)}`, 'labeling member');
      const { setLabelingMember: member } = await context.graphql.request<{ setLabelingMember: { user: string; role: string } }>(SET_MEMBER, { project, name, user, role });
      return { json: { labelingProject: name, ...member }, text: `${member.user} is ${member.role} of ${name}` };
    }
    if (action === 'remove') {
      if (role !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(role)}`, 'labeling member');
      const { removeLabelingMember: removed } = await context.graphql.request<{ removeLabelingMember: boolean }>(REMOVE_MEMBER, { project, name, user });
      return { json: { labelingProject: name, user, removed }, text: removed ? `removed ${user} from ${name}` : `${user} was not a member of ${name}` };
    }
    throw new UsageError(`unknown action ${JSON.stringify(action)}: expected set or remove`, 'labeling member');
  },
};

/** `sheaf labeling status <name> [--watch]`: the dashboard. */
export const labelingStatusCommand: CommandSpec = {
  name: 'labeling status',
  summary: 'progress, per-labeler throughput and agreement of a labeling project',
  synopsis: 'labeling status <name> [--watch]',
  description: [
    'The dashboard: tasks done (with a percentage), unlabeled, leased, skipped and in review, label',
    'edits not committed yet; per labeler: submissions, skips, accepted and rejected by reviewers,',
    'submissions per hour and median seconds between them; agreement of overlapped items (mean',
    'kappa on classes, mean IoU of shapes, items below the review threshold).',
    '--watch refreshes every 2 s with a progress bar until every task is done or you press Ctrl-C,',
    'then prints the dashboard. --json prints {name, dataset, branch, reviewThreshold, percentDone,',
    'progress, labelers, agreement}.',
  ].join('\n'),
  positionals: ['name'],
  options: { watch: { type: 'boolean' } },
  optionHelp: [['--watch', 'refresh until done or interrupted']],
  async run(context, args) {
    const name = args.positional('name')!;
    const fetchStatus = () => fetchLabelingStatus(context, name);
    const status = args.flag('watch') ? await watch(context, fetchStatus) : await fetchStatus();
    return { json: status, text: statusText(status) };
  },
};

const COMMIT = `mutation($project: String!, $name: String!, $message: String) {
  commitLabels(project: $project, labelingProject: $name, message: $message) { commit snapshot items }
}`;

/** `sheaf labeling commit <name> [-m message]` */
export const labelingCommitCommand: CommandSpec = {
  name: 'labeling commit',
  summary: 'commit the labels a labeling project staged on its branch',
  synopsis: 'labeling commit <name> [-m <message>]',
  description: [
    'Commits the labels the project staged (default message "labels: N items (<name>)") and prints',
    'the commit and the snapshot hash of the labeled branch, or says nothing was staged (exit 0).',
    'For members of the labeling project and owners and maintainers. --json prints {commit,',
    'snapshot, items}, or null.',
  ].join('\n'),
  positionals: ['name'],
  options: { message: { type: 'string', short: 'm' } },
  optionHelp: [['-m, --message <text>', 'the commit message']],
  async run(context, args) {
    const name = args.positional('name')!;
    const variables = { project: context.global.project, name, message: args.string('message') ?? null };
    const { commitLabels: committed } = await context.graphql.request<{ commitLabels: { commit: string; snapshot: string; items: number } | null }>(COMMIT, variables);
    if (committed === null) return { json: null, text: `nothing to commit: ${name} has no staged labels` };
    return { json: committed, text: [`committed labels of ${plural(committed.items, 'item', 'items')} (${name})`, `commit   ${committed.commit}`, `snapshot ${committed.snapshot}`].join('\n') };
  },
};

interface AnnotationEventView {
  readonly id: string;
  readonly path: string;
  readonly labelingProject: string | null;
  readonly user: string;
  readonly action: string;
  readonly annotations: readonly { readonly kind?: string; readonly label?: string }[] | null;
  readonly comment: string | null;
  readonly time: string;
  readonly commit: string | null;
  readonly snapshot: string | null;
}

const HISTORY = `query($project: String!, $dataset: String!, $path: String!, $first: Int) {
  itemHistory(project: $project, dataset: $dataset, path: $path, first: $first) { id path labelingProject user action annotations comment time commit snapshot }
}`;

/** `sheaf labeling history <dataset> <path> [--limit n]` */
export const labelingHistoryCommand: CommandSpec = {
  name: 'labeling history',
  summary: "an item's labeling events (submit, skip, review, commit), newest first",
  synopsis: 'labeling history <dataset> <path> [--limit <n>]',
  description: [
    'Every submission, skip, review decision and commit of the item across the labeling projects',
    'of its dataset, newest first: time, action, user, labeling project, labels, comment, and the',
    'commit that took the labels in. --json prints the events.',
  ].join('\n'),
  positionals: ['dataset', 'path'],
  options: { limit: { type: 'string' } },
  optionHelp: [['--limit <n>', 'at most n events, 1-1000 (default 50)']],
  async run(context, args) {
    const variables = { project: context.global.project, dataset: args.positional('dataset'), path: args.positional('path'), first: wholeNumber(args, 'limit', 'labeling history', 1) };
    const { itemHistory } = await context.graphql.request<{ itemHistory: AnnotationEventView[] }>(HISTORY, variables);
    const text = itemHistory.length === 0 ? `no labeling history for ${variables.path}` : itemHistory.map(eventLine).join('\n');
    return { json: itemHistory, text };
  },
};

/** `2024-05-01T10:00:00.000Z  submit         lena  parts  2 labels: ok, dent  commit 1a2b3c4d5e6f` */
function eventLine(event: AnnotationEventView): string {
  const labels = event.annotations === null ? '' : `${plural(event.annotations.length, 'label', 'labels')}${event.annotations.length > 0 ? `: ${event.annotations.map((a) => (a.kind && a.kind !== 'class' ? `${a.label} ${a.kind}` : a.label)).join(', ')}` : ''}`;
  return [event.time, event.action.padEnd(13), event.user, event.labelingProject ?? '-', labels, event.comment === null ? '' : JSON.stringify(event.comment), event.commit === null ? '' : `commit ${event.commit.slice(0, 12)}`]
    .filter((part) => part !== '')
    .join('  ');
}

async function fetchLabelingStatus(context: CommandContext, name: string): Promise<LabelingStatus> {
  return toStatus(await context.graphql.request(STATUS_QUERY, { project: context.global.project, name }));
}

/** Refreshes until done; Ctrl-C (or a TERM) ends the watch with the last status instead of killing the process. */
async function watch(context: CommandContext, fetchStatus: () => Promise<LabelingStatus>): Promise<LabelingStatus> {
  const interrupt = new AbortController();
  const stop = () => interrupt.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const display = statusDisplay(context);
  try {
    return await watchLabeling(fetchStatus, { intervalMs: WATCH_INTERVAL_MS, signal: interrupt.signal, onUpdate: (status) => display.update(status) });
  } finally {
    display.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function optionalText(args: CommandArgs, option: string): Promise<string | null> {
  const file = args.string(option);
  return file === undefined ? null : readLocalText(file);
}

/** A whole-number option (at most 9 digits, so it fits a GraphQL Int), or null when absent. */
function wholeNumber(args: CommandArgs, option: string, command: string, min = 1): number | null {
  const raw = args.string(option);
  if (raw === undefined) return null;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min) throw new UsageError(`--${option} must be a whole number from ${min} to 999999999`, command);
  return Number(raw);
}

/** A number option from 0 to 1, or null when absent. */
function fraction(args: CommandArgs, option: string, command: string): number | null {
  const raw = args.string(option);
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!/^\s*[\d.]/.test(raw) || !Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`--${option} must be a number from 0 to 1`, command);
  return value;
}
