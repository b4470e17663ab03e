// Run as a child process by fs-blob-store-crash.test.ts: stores random blobs into the store at
// argv[2], 16 at a time, forever, and prints the hash of each put as soon as it resolves. The
// test kills it with SIGKILL at some point of its writes.
import { randomBytes, randomInt } from 'node:crypto';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';

const store = new FsBlobStore({ root: process.argv[2]! });
await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (;;) {
      // Up to 2 MiB, so that kills land in the middle of writes, flushes and renames.
      const { hash } = await store.put(randomBytes(randomInt(1, 2 * 1024 * 1024)));
      process.stdout.write(`${hash}\n`);
    }
  }),
);
