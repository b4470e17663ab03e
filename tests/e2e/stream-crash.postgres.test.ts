import { streamCrashSuite } from './stream-crash-suite.ts';

streamCrashSuite('postgres').run();
