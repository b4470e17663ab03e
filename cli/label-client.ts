import { CliError, ExitCode } from './cli-error.ts';
import { errorOfResponse, type ServerConnection } from './server-connection.ts';
import { tarOfFiles } from './tar-of-files.ts';

/** A file of a directory to import: its path in the tree, where it is, and its size. */
export interface ImportFile {
  readonly path: string;
  readonly absolutePath: string;
  readonly size: number;
}

/** What the server committed for an import. */
export interface ImportAnswer {
  readonly commit: string;
  readonly snapshot: string;
  readonly items: number;
  readonly annotations: number;
  readonly created: boolean;
}

/** One problem the server found in an import's files. */
export interface ImportProblem {
  readonly file: string;
  readonly line?: number;
  readonly entry?: string;
  readonly message: string;
}

/** An export being received: its counts (from the headers) and the tar stream. */
export interface ExportDownload {
  readonly snapshot: string;
  readonly items: number;
  readonly annotations: number;
  readonly tar: AsyncIterable<Uint8Array>;
}

/** The label routes of a project (`/v1/projects/<project>/…/import`, `…/snapshots/<hash>/export`). */
export class LabelClient {
  private readonly base: string;

  constructor(
    private readonly connection: ServerConnection,
    project: string,
  ) {
    this.base = `/v1/projects/${encodeURIComponent(project)}`;
  }

  /**
   * Sends the files as one tar stream, each entry at its path, and imports them in `format`
   * into `dataset@branch`. `onBytes` is told the file bytes read, for progress.
   * @throws CliError INVALID_INPUT with one detail line per problem (`file:line: message`) when
   *   the files hold errors; FILE_CHANGED, FORBIDDEN, NOT_FOUND, UNREACHABLE…
   */
  async importFiles(
    at: { dataset: string; branch: string },
    format: string,
    source: string,
    files: readonly ImportFile[],
    onBytes?: (bytes: number) => void,
  ): Promise<ImportAnswer> {
    const query = new URLSearchParams({ format, source });
    const path = `${this.base}/datasets/${encodeURIComponent(at.dataset)}/branches/${encodeURIComponent(at.branch)}/import?${query}`;
    // Not hashed beforehand: the server hashes what it stores. `blob` only names errors' files.
    const entries = files.map((file) => ({ absolutePath: file.absolutePath, name: file.path, blob: file.path, size: file.size }));
    const response = await this.connection.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-tar' },
      body: tarOfFiles(entries, onBytes) as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    if (response.status === 422) throw await rejection(response);
    if (!response.ok) throw await errorOfResponse(response, `importing ${format} into ${at.dataset}@${at.branch}`);
    return (await response.json().catch((error: unknown) => Promise.reject(this.connection.describe(error)))) as ImportAnswer;
  }

  /**
   * Starts downloading the export of `snapshot` in `format`.
   * @throws CliError INVALID_INPUT, FORBIDDEN, NOT_FOUND (before any byte), UNREACHABLE…
   */
  async exportSnapshot(snapshot: string, format: string, options: { media: boolean; classes?: string | undefined }): Promise<ExportDownload> {
    const query = new URLSearchParams({ format, media: options.media ? '1' : '0' });
    if (options.classes !== undefined) query.set('classes', options.classes);
    const response = await this.connection.fetch(`${this.base}/snapshots/${encodeURIComponent(snapshot)}/export?${query}`);
    if (!response.ok) throw await errorOfResponse(response, `exporting ${snapshot} as ${format}`);
    if (!response.body) throw new CliError('UNEXPECTED', 'the server sent no body for an export', { exitCode: ExitCode.unexpected });
    const connection = this.connection;
    const body = response.body as unknown as AsyncIterable<Uint8Array>;
    return {
      snapshot: response.headers.get('x-sheaf-snapshot') ?? snapshot,
      items: Number(response.headers.get('x-sheaf-items') ?? 0),
      annotations: Number(response.headers.get('x-sheaf-annotations') ?? 0),
      tar: (async function* () {
        try {
          yield* body;
        } catch (error) {
          throw connection.describe(error);
        }
      })(),
    };
  }
}

/** `file:line: message` (or `file [entry]: message`), the way compilers print errors. */
export function describeProblem(problem: ImportProblem): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.entry !== undefined ? `${problem.file} [${problem.entry}]` : problem.file;
  return `${where}: ${problem.message}`;
}

async function rejection(response: Response): Promise<CliError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; errors?: ImportProblem[] } };
  const problems = Array.isArray(body.error?.errors) ? body.error.errors : [];
  return new CliError(body.error?.code ?? 'INVALID_INPUT', body.error?.message ?? 'the import was refused', {
    details: problems.map(describeProblem),
    data: { errors: problems },
  });
}
