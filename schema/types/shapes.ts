import type { Branch, Dataset, Tag } from '../../core/model.ts';
import type { DatasetAddress } from '../../services/dataset-service.ts';

/** Parent shapes carry the address their resolvers need to call services. */
export type DatasetShape = Dataset & { readonly projectName: string };
export type BranchShape = Branch & { readonly at: DatasetAddress };
export type TagShape = Tag & { readonly at: DatasetAddress };

export const addressOf = (d: DatasetShape): DatasetAddress => ({ project: d.projectName, dataset: d.name });
