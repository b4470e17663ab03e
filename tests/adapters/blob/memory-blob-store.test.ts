import { MemoryBlobStore } from '../../../adapters/blob/memory-blob-store.ts';
import { blobStoreConformance } from '../../conformance/blob-store.ts';

const backing = new WeakMap<MemoryBlobStore, Map<string, Buffer>>();

blobStoreConformance(
  'memory',
  async () => {
    const blobs = new Map<string, Buffer>();
    const store = new MemoryBlobStore({ blobs });
    backing.set(store, blobs);
    return { store, cleanup: async () => undefined };
  },
  {
    async tamper(store, hash) {
      const bytes = backing.get(store)?.get(hash);
      if (!bytes || bytes.length === 0) throw new Error(`cannot tamper with ${hash}`);
      bytes[0] = bytes[0]! ^ 0xff;
    },
    tempFiles: async () => [],
    countBlobs: async (store) => backing.get(store)?.size ?? 0,
  },
);
