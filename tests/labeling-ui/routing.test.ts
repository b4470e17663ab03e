import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hrefOf, parseRoute } from '../../labeling-ui/src/routing.ts';

const test = suite('labeling UI routes');

test('every page has a hash and reads back from it, names with any characters included', () => {
  const routes = [
    { page: 'login' },
    { page: 'projects' },
    { page: 'label', project: 'default', labelingProject: 'dents & scratches/2' },
    { page: 'review', project: 'p-1', labelingProject: 'q' },
    { page: 'datasets', project: 'default' },
    { page: 'datasets', project: 'default', dataset: 'inspections' },
  ] as const;
  for (const route of routes) assert.equal(parseRoute(hrefOf(route)), route);
  assert.equal(parseRoute(''), { page: 'projects' });
});

test('anything else is an unknown page, not a crash', () => {
  for (const hash of ['#/label/only-one', '#/label/a/b/c', '#/nowhere', '#/datasets//x', '#/label/%E0%A4%A/x'])
    assert.is(parseRoute(hash).page, 'unknown', hash);
});

test.run();
