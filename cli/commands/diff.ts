import type { CommandSpec } from '../command.ts';
import { formatLocation, parseLocation } from '../location.ts';
import { connectionFields, paginate, PAGE_SIZE, type Connection } from '../paginate.ts';

const DIFF = `query($project: String!, $from: String!, $to: String!, $first: Int!, $after: String) {
  diff(project: $project, from: $from, to: $to, first: $first, after: $after) { ${connectionFields('path kind')} }
}`;

type Kind = 'ADDED' | 'MODIFIED' | 'REMOVED';
const LETTER: Record<Kind, string> = { ADDED: 'A', MODIFIED: 'M', REMOVED: 'D' };

/** `sheaf diff <refA> <refB>`: the item paths that differ, in path order. */
export const diffCommand: CommandSpec = {
  name: 'diff',
  summary: 'list the items that differ between two locations',
  synopsis: 'diff <refA> <refB>',
  description: [
    'Lists what changed from <refA> to <refB>; each is dataset[@ref] or a bare commit id or snapshot',
    'hash. Prints "A path", "M path" or "D path" per item, then a summary.',
    '--json prints {added: [paths], removed: [paths], modified: [paths]}.',
  ].join('\n'),
  positionals: ['refA', 'refB'],
  options: {},
  async run(context, args) {
    const from = formatLocation(parseLocation(args.positional('refA')!));
    const to = formatLocation(parseLocation(args.positional('refB')!));
    const changes = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
    const lines: string[] = [];
    const entries = paginate(async (after) => {
      const data = await context.graphql.request<{ diff: Connection<{ path: string; kind: Kind }> }>(DIFF, {
        project: context.global.project,
        from,
        to,
        first: PAGE_SIZE,
        after,
      });
      return data.diff;
    });
    for await (const entry of entries) {
      (entry.kind === 'ADDED' ? changes.added : entry.kind === 'REMOVED' ? changes.removed : changes.modified).push(entry.path);
      lines.push(`${LETTER[entry.kind]} ${entry.path}`);
    }
    lines.push(`${changes.added.length} added, ${changes.modified.length} modified, ${changes.removed.length} removed`);
    return { json: changes, text: lines.join('\n') };
  },
};
