import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CommitWindow } from '../../../services/ingest/commit-window.ts';

const test = suite('commit window');
const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1) + seconds * 1000);

test('due after `every` items or `seconds` after the oldest pending item, whichever first', () => {
  const window = new CommitWindow({ every: 3, seconds: 10 });
  assert.not.ok(window.due(at(0)), 'nothing pending is never due');
  assert.is(window.msUntilDue(at(0)), null);
  window.add(2, at(1));
  assert.not.ok(window.due(at(2)));
  assert.is(window.msUntilDue(at(2)), 9000);
  window.add(1, at(3));
  assert.ok(window.due(at(3)), 'three items');
  window.reset();
  window.add(1, at(20));
  assert.not.ok(window.due(at(29)));
  assert.ok(window.due(at(30)), 'ten seconds');
  assert.is(window.oldestPending?.getTime(), at(20).getTime());
});

test('items pending from before a restart count with their own time', () => {
  const window = new CommitWindow({ every: 100, seconds: 10 });
  window.add(5, at(50));
  window.add(5, at(0));
  assert.is(window.pending, 10);
  assert.ok(window.due(at(10)));
  window.add(0, at(100));
  assert.is(window.pending, 10, 'adding nothing changes nothing');
});

test.run();
