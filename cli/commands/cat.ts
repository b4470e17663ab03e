import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { parseItemPath } from '../../core/item-path.ts';
import { CliError, ExitCode } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from '../graphql-client.ts';
import { snapshotItems } from '../item-queries.ts';
import { parseLocation, type Location } from '../location.ts';
import { resolveLocation } from '../resolve-location.ts';

const ITEM = `query($project: String!, $dataset: String!, $ref: String!, $path: String!) {
  dataset(project: $project, name: $dataset) { ${ERROR_FIELDS} ... on Dataset { item(ref: $ref, path: $path) { blob size } } }
}`;

/** `sheaf cat <ref> <path>`: an item's bytes on stdout. */
export const catCommand: CommandSpec = {
  name: 'cat',
  summary: "write an item's bytes to stdout",
  synopsis: 'cat <ref> <path>',
  description: [
    'Writes the bytes of the item at <path> of <ref> (dataset[@ref] or a snapshot hash) to stdout,',
    'checking them against the item\'s hash. The bytes are written as they are even with --json;',
    '--json only changes how errors are reported.',
  ].join('\n'),
  positionals: ['ref', 'path'],
  options: {},
  async run(context, args) {
    const location = parseLocation(args.positional('ref')!);
    const path = args.positional('path')!;
    try {
      parseItemPath(path);
    } catch (error) {
      throw new CliError('INVALID_PATH', (error as Error).message);
    }
    const item = await findItem(context.graphql, context.global.project, location, path);
    const hash = createHash('sha256');
    let size = 0;
    const stdout = context.io.stdout;
    for await (const chunk of await context.blobs.download(item.blob)) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.byteLength;
      if (!stdout.write(bytes)) await once(stdout, 'drain');
    }
    const actual = hash.digest('hex');
    if (actual !== item.blob || size !== item.size)
      throw new CliError('CORRUPT_OBJECT', `${path} arrived as ${size} bytes hashing to ${actual}; expected ${item.size} bytes hashing to ${item.blob}`, {
        exitCode: ExitCode.unexpected,
      });
  },
};

async function findItem(graphql: GraphqlClient, project: string, location: Location, path: string): Promise<{ blob: string; size: number }> {
  if (location.kind === 'ref') {
    const data = await graphql.request<{ dataset: UnionResult }>(ITEM, { project, dataset: location.dataset, ref: location.ref, path });
    return unwrap<UnionResult & { item: { blob: string; size: number } }>(data.dataset, 'Dataset').item;
  }
  await resolveLocation(graphql, project, location);
  // The API lists a snapshot by prefix; in path order an exact match comes before any longer
  // path it prefixes, so the first result is the item if it exists.
  for await (const item of snapshotItems(graphql, project, location.hash, path)) {
    if (item.path === path) return item;
    break;
  }
  throw new CliError('NOT_FOUND', `item not found: ${location.hash}:${path}`);
}
