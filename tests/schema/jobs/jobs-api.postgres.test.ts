import { jobsApiSuite } from './jobs-api-suite.ts';

jobsApiSuite('postgres').run();
