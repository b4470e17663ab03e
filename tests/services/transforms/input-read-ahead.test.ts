import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InputReadAhead } from '../../../services/transforms/input-read-ahead.ts';

interface Input {
  readonly name: string;
  readonly size: number;
}

/** Reads that resolve when told to, recording which were started. */
function recordingReader() {
  const started: string[] = [];
  const pending = new Map<string, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  const read = (input: Input) => {
    started.push(input.name);
    return new Promise<Uint8Array>((resolve, reject) => pending.set(input.name, { resolve, reject }));
  };
  return { started, pending, read };
}

const inputs = (...sizes: number[]): Input[] => sizes.map((size, i) => ({ name: `i${i}`, size }));

test('hands inputs out in order and reads the next ones ahead, up to the item limit', () => {
  const reader = recordingReader();
  const ahead = new InputReadAhead(inputs(1, 1, 1, 1, 1), reader.read, (i) => i.size, { items: 2, bytes: 100 });
  assert.is(ahead.take()?.item.name, 'i0');
  // i0 itself is read when asked for; i1 and i2 are read ahead.
  assert.equal(reader.started, ['i1', 'i2']);
  assert.is(ahead.take()?.item.name, 'i1');
  assert.equal(reader.started, ['i1', 'i2', 'i3']);
  assert.is(ahead.take()?.item.name, 'i2');
  assert.is(ahead.take()?.item.name, 'i3');
  assert.is(ahead.take()?.item.name, 'i4');
  assert.is(ahead.take(), undefined);
  assert.equal(reader.started, ['i1', 'i2', 'i3', 'i4']);
});

test('the bytes read ahead are what the first call returns; a later call reads again', async () => {
  let reads = 0;
  const ahead = new InputReadAhead(inputs(3, 3), async (i) => Uint8Array.of(++reads, i.size), (i) => i.size, { items: 4, bytes: 100 });
  const first = ahead.take()!;
  const second = ahead.take()!;
  assert.is(reads, 1, 'only the second input was read ahead');
  assert.equal([...(await second.bytes())], [1, 3]);
  assert.equal([...(await second.bytes())], [2, 3]);
  assert.equal([...(await first.bytes())], [3, 3]);
});

test('stops reading ahead at the byte limit, in order; an input larger than the limit is read only when taken', () => {
  const reader = recordingReader();
  const ahead = new InputReadAhead(inputs(1, 60, 50, 500, 1), reader.read, (i) => i.size, { items: 10, bytes: 100 });
  ahead.take();
  // 60 fits, 60 + 50 does not: i2 waits, and so does everything after it.
  assert.equal(reader.started, ['i1']);
  ahead.take();
  assert.equal(reader.started, ['i1', 'i2']);
  ahead.take();
  // i3 (500) never fits: nothing is read ahead while it is next.
  assert.equal(reader.started, ['i1', 'i2']);
  const big = ahead.take()!;
  assert.equal(reader.started, ['i1', 'i2', 'i4']);
  void big.bytes();
  assert.equal(reader.started, ['i1', 'i2', 'i4', 'i3']);
});

test('a failed read ahead fails the bytes of its input; one never taken is not an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const ahead = new InputReadAhead(inputs(1, 1, 1), async (i) => {
      throw new Error(`cannot read ${i.name}`);
    }, (i) => i.size, { items: 2, bytes: 100 });
    ahead.take();
    const second = ahead.take()!;
    const failure = await second.bytes().then(() => null, (error: Error) => error);
    assert.match(String(failure?.message), /cannot read i1/);
    // i2 was read ahead and failed, and is never taken (the run stopped).
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('with no inputs, nothing is handed out or read', () => {
  const reader = recordingReader();
  const ahead = new InputReadAhead([], reader.read, (i: Input) => i.size, { items: 4, bytes: 100 });
  assert.is(ahead.take(), undefined);
  assert.equal(reader.started, []);
});

test.run();
