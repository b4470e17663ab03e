import { versionStoreConformance } from '../../conformance/version-store.ts';

versionStoreConformance('pglite');
