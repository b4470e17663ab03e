import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../../core/labels/annotation.ts';
import { nextAnnotationId } from '../../../labeling-ui/src/annotations/next-annotation-id.ts';

const test = suite('next annotation id');
const cls = (id: string): Annotation => ({ id, kind: 'class', label: 'ok' });

test('a<n> one above the highest a<n> in use; other ids are ignored and never collide', () => {
  assert.is(nextAnnotationId([]), 'a1');
  assert.is(nextAnnotationId([cls('a2'), cls('a10'), cls('a9')]), 'a11');
  assert.is(nextAnnotationId([cls('m1'), cls('a'), cls('A3'), cls('a3b'), cls('3f0c-uuid')]), 'a1');
  // A gap left by a deleted annotation is not reused below the highest.
  assert.is(nextAnnotationId([cls('a1'), cls('a3')]), 'a4');
});

test.run();
