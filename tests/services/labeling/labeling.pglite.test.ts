import { labelingSuite } from './labeling-suite.ts';

labelingSuite('pglite').run();
