import { securitySuite } from './security-suite.ts';

securitySuite('postgres').run();
