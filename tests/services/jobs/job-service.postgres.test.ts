import { jobServiceSuite } from './job-service-suite.ts';

jobServiceSuite('postgres').run();
