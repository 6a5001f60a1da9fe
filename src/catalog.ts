// The product's catalog: every declared resource and every TSP. Entry points and the app hand it to the
// engine, the write router and the worker; tests may hand them another (a toy resource, a toy TSP).
import type { Catalog } from './engine/resource.ts';
import { RESOURCE_DEFINITIONS } from './resources/index.ts';
import { ADAPTERS } from './tsps/registry.ts';

export const PRODUCT_CATALOG: Catalog = { resources: RESOURCE_DEFINITIONS, tsps: ADAPTERS };
