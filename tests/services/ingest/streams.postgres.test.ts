import { streamsSuite } from './streams-suite.ts';

streamsSuite('postgres').run();
