import { streamsSuite } from './streams-suite.ts';

streamsSuite('pglite').run();
