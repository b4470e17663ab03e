import { jobServiceSuite } from './job-service-suite.ts';

jobServiceSuite('pglite').run();
