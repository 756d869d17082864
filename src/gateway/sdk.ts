import {createRequire} from 'node:module'

/**
 * The API Gateway SDK, loaded with require(). It ships as one large CommonJS file;
 * an ESM `import` of it makes Node scan the whole file for export names first,
 * which costs about 70 ms on every command that talks to AWS. Gateway modules take
 * their SDK classes from here; type-only imports may name the package directly.
 */
export const sdk: typeof import('@aws-sdk/client-api-gateway') = createRequire(import.meta.url)('@aws-sdk/client-api-gateway')
