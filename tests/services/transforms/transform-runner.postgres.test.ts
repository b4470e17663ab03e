import { transformRunnerSuite } from './transform-runner-suite.ts';

transformRunnerSuite('postgres').run();
