import { streamCrashSuite } from './stream-crash-suite.ts';

streamCrashSuite('pglite').run();
