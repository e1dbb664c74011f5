/**
 * Every step and hook's failure is masked before Cucumber sees it: Cucumber writes the message,
 * the stack and assertion diffs into the console, html, json, junit and message reports itself,
 * past the suite's own logging.
 */
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import { maskingErrors } from '../redact-error.js';

setDefinitionFunctionWrapper((fn: (...args: never[]) => unknown) => maskingErrors(fn));
