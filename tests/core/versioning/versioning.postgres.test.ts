import { versioningSuite } from './versioning-suite.ts';

versioningSuite('postgres').run();
