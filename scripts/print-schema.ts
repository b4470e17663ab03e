// Prints the GraphQL schema to schema/schema.graphql (committed, so API changes show in review).
// `npm run schema`; tests/schema/schema-file.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../schema/index.ts';

writeFileSync(new URL('../schema/schema.graphql', import.meta.url), printSchema(schema) + '\n');
