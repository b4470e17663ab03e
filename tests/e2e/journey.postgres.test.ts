import { journeySuite } from './journey-suite.ts';

journeySuite('postgres').run();
