import type { Item } from '../../core/model.ts';
import { builder } from '../builder.ts';
import './json.ts';

export const ItemRef = builder.objectRef<Item>('Item').implement({
  description: 'One member of a snapshot: a path, the blob it holds, and its metadata and labels.',
  fields: (t) => ({
    path: t.exposeString('path'),
    blob: t.exposeString('blob', { description: 'sha256 of the content; download it from GET /v1/projects/{project}/blobs/{blob}.' }),
    size: t.exposeFloat('size', { description: 'Bytes (a Float: sizes may pass 2^31).' }),
    meta: t.field({ type: 'JSON', resolve: (item) => item.meta }),
    annotations: t.field({ type: 'JSON', nullable: true, resolve: (item) => item.annotations }),
  }),
});

export const ItemChangeInput = builder.inputType('ItemChangeInput', {
  description: 'Stage a put of an uploaded blob at `path`, or its removal with `delete: true`.',
  fields: (t) => ({
    path: t.string({ required: true }),
    blob: t.string({ required: false }),
    meta: t.field({ type: 'JSON', required: false }),
    annotations: t.field({ type: 'JSON', required: false }),
    delete: t.boolean({ required: false }),
  }),
});

export const AnnotationEditInput = builder.inputType('AnnotationEditInput', {
  description: 'New annotations for the item at `path`; its blob and meta stay as they are.',
  fields: (t) => ({
    path: t.string({ required: true }),
    annotations: t.field({ type: 'JSON', required: true }),
  }),
});
