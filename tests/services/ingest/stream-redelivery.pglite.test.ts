import { redeliverySuite } from './stream-redelivery-suite.ts';

redeliverySuite('pglite').run();
