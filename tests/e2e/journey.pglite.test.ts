import { journeySuite } from './journey-suite.ts';

journeySuite('pglite').run();
