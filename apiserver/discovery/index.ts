export { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery } from './aggregated.js';
export { apiGroup, apiGroupList, apiResourceList, apiVersions, storageVersionHash } from './legacy.js';
export { openapiDocument, openapiIndex, type OpenAPIDocument } from './openapi.js';
export type * from './types.js';
export { wantsAggregated } from './wants-aggregated.js';
