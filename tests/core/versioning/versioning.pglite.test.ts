import { versioningSuite } from './versioning-suite.ts';

versioningSuite('pglite').run();
