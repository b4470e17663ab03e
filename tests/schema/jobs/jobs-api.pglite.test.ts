import { jobsApiSuite } from './jobs-api-suite.ts';

jobsApiSuite('pglite').run();
