import { InvalidInputError } from '../../core/errors.ts';
import { parseBranchName, parseDatasetName } from '../../core/ids.ts';
import { assignmentOf } from '../access/membership.ts';
import { ROLES, isRole, type Role } from '../access/roles.ts';

/** @throws InvalidInputError('role') */
export function parseRole(value: unknown): Role {
  if (!isRole(value)) throw new InvalidInputError('role', `${JSON.stringify(value)} is not one of ${ROLES.join(', ')}`);
  return value;
}

const MAX_ASSIGNMENTS = 1000;

/**
 * A labeler's branches, each "dataset@branch" with valid names, deduplicated and sorted. Other
 * roles see whole projects, so a branch list given with them is refused rather than ignored.
 * @throws InvalidInputError('branches'), InvalidNameError for a bad dataset or branch name
 */
export function parseAssignments(role: Role, value: unknown): string[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw new InvalidInputError('branches', 'is not a list');
  if (value.length > 0 && role !== 'labeler') throw new InvalidInputError('branches', `only labelers are assigned branches, not a ${role}`);
  if (value.length > MAX_ASSIGNMENTS) throw new InvalidInputError('branches', `at most ${MAX_ASSIGNMENTS} branches`);
  const assignments = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'string') throw new InvalidInputError('branches', 'must be strings "dataset@branch"');
    const at = entry.indexOf('@');
    if (at < 0) throw new InvalidInputError('branches', `${JSON.stringify(entry)} is not "dataset@branch"`);
    assignments.add(assignmentOf(parseDatasetName(entry.slice(0, at)), parseBranchName(entry.slice(at + 1))));
  }
  return [...assignments].sort();
}
