export declare const VERSIONS: string[];
export declare const DEFAULT_VERSION: string;
export declare function versionOf(env?: NodeJS.ProcessEnv): string;
export declare function versionTagFilter(version: string): string;
export declare function withVersionFilter(tags: string, env?: NodeJS.ProcessEnv): string;
export declare function withoutVersionFilter(tags: string): string;
