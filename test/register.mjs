// Lets node's own test runner load TypeScript through ts-node's ESM loader.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register('ts-node/esm', pathToFileURL('./'));
