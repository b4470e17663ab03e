import { transformRunnerSuite } from './transform-runner-suite.ts';

transformRunnerSuite('pglite').run();
