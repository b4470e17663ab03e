import type { BlobUsage } from '../../core/prolly/blob-usage.ts';
import { builder } from '../builder.ts';

export const StorageStatsRef = builder.objectRef<BlobUsage>('StorageStats').implement({
  description: 'What full copies of every live snapshot would take versus what is stored once.',
  fields: (t) => ({
    logicalBytes: t.exposeFloat('logicalBytes'),
    uniqueBytes: t.exposeFloat('uniqueBytes'),
    uniqueBlobs: t.exposeFloat('uniqueBlobs'),
    savedBytes: t.float({ resolve: (u) => u.logicalBytes - u.uniqueBytes }),
  }),
});
