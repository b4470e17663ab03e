import { redeliverySuite } from './stream-redelivery-suite.ts';

redeliverySuite('postgres').run();
