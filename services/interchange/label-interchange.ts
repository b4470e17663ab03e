import type { Actor } from '../actor.ts';
import { exportLabels, type LabelExport, type LabelExportDeps, type LabelExportRequest } from './export-labels.ts';
import { importLabels, type LabelImportDeps, type LabelImportRequest, type LabelImportResult } from './import-labels.ts';

/** What label import and export need; built once in server/main.ts. */
export type LabelInterchangeDeps = LabelImportDeps & LabelExportDeps;

/**
 * Label import and export (docs/label-formats.md): a directory tree in a label format into a
 * branch as one commit, and a snapshot out as a tar stream in a format. See `importLabels`
 * and `exportLabels` for the contracts and errors.
 */
export class LabelInterchange {
  constructor(private readonly deps: LabelInterchangeDeps) {}

  /** Bytes an import's files may hold in all. */
  get maxImportBytes(): number {
    return this.deps.maxBytes;
  }

  /** See `importLabels`. */
  importLabels(actor: Actor | null, request: LabelImportRequest, body: AsyncIterable<Uint8Array>): Promise<LabelImportResult> {
    return importLabels(this.deps, actor, request, body);
  }

  /** See `exportLabels`. */
  exportLabels(actor: Actor | null, request: LabelExportRequest): Promise<LabelExport> {
    return exportLabels(this.deps, actor, request);
  }
}
