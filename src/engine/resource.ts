// What a resource declares so that every layer serves it: the engine, the write router, the reads,
// the OpenAPI document and the capability matrix. The engine names no resource; it reads these.
import type { z } from 'zod';
import type { OperationType, ResourceType } from '../contract/enums.ts';
import type { TspRegistry } from '../tsps/kit/descriptor.ts';
import type { Attributes } from '../tsps/kit/types.ts';

/** One write operation of a resource, as the API offers it. */
export interface WriteOperation {
  /** The request body: `connection_id` and the resource's attributes (zod: validation, OpenAPI, type). */
  body: z.ZodObject;
  operationId: string;
  summary: string;
  description: string;
}

export interface ResourceDefinition {
  /** The seed's `resource` value, stored on every operation: 'user'. */
  name: ResourceType;
  /** The path segment of its routes: /v2/telematics/<plural>. */
  plural: string;
  /** The path parameter naming one record in its GET (user_id, as Catena's GET paths have it; its PATCH paths say {id}). */
  idParam: string;
  /** For messages and summaries: 'User'. */
  title: string;
  /** The writes it has: create always; update where the resource can be changed (messages cannot). */
  operations: { create: WriteOperation; update?: WriteOperation };
  /** The record after a write: what was last written with the changes on top (create: from nothing). */
  merge(current: Attributes | undefined, changes: Attributes): Attributes;
  /** The read view of one record (OpenAPI and serialization of GET). */
  view: z.ZodObject;
  /**
   * OpenAPI ids and summaries of the reads, and the list filters Catena declares for this resource beyond
   * every list's: the parameter naming records by fleetgate id (`user_ids`), and whether it filters on
   * `is_driver`.
   */
  reads: { listOperationId: string; getOperationId: string; listSummary: string; getSummary: string; idsParam?: string; isDriverFilter?: boolean };
  /**
   * Writes to one record go to the TSP in submission order, one at a time (a later update must not
   * overtake an earlier one). Resources whose records are written once (create-only) need not be.
   */
  orderedWrites: boolean;
  /**
   * Fields that name other records by fleetgate id (a message's sender_id → user): resolved to the TSP's
   * ids on the same connection at submit and for every attempt (engine/references.ts), handed to the
   * adapter as `write.refs`.
   */
  references?: Readonly<Record<string, { resource: ResourceType }>>;
}

/** The resources one fleetgate serves and the TSPs it writes them to: handed to the engine, router and worker. */
export interface Catalog {
  resources: readonly ResourceDefinition[];
  tsps: TspRegistry;
}

export function resourceNamed(catalog: Catalog, name: string): ResourceDefinition | undefined {
  return catalog.resources.find((r) => r.name === name);
}

export const operationsOf = (def: ResourceDefinition): OperationType[] => (def.operations.update ? ['create', 'update'] : ['create']);
