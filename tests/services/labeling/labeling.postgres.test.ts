import { labelingSuite } from './labeling-suite.ts';

labelingSuite('postgres').run();
