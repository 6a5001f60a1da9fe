// Field builders every resource contract shares: Catena's bodies spell each optional attribute as
// `anyOf: [<type>, null]`, so each is optional and nullable; the body's connection_id is always required.
import { z } from 'zod';

export const text = (description: string) => z.string().nullable().optional().describe(description);
export const flag = (description: string) => z.boolean().nullable().optional().describe(description);
/** Catena's `integer` (its Go SDK: NullableInt32): a whole number in int32's range. */
export const int32 = (description: string) => z.int32().nullable().optional().describe(description);
/** Catena's `number` (its Go SDK: NullableFloat32). */
export const number = (description: string) => z.number().nullable().optional().describe(description);
// Catena's pattern for ISO-3166-1 alpha-3 codes, kept verbatim.
export const alpha3 = (description: string) =>
  z.string().regex(/^\w{3}$/, 'must match ^\\w{3}$').nullable().optional().describe(description);

/** A timestamp fleetgate answers (RFC 3339, from toISOString): Catena's `format: date-time`. */
export const timestamp = () => z.string().meta({ format: 'date-time' });

/**
 * An object of a write body as Catena's (pydantic) models take it: a field it does not list is accepted
 * and ignored, at any depth (the operation lists it in ignored_fields, so nothing is lost silently),
 * while the fields it lists are validated strictly. The document says so (additionalProperties: true).
 */
export const looseMember = <S extends z.ZodRawShape>(shape: S) => z.object(shape).meta({ additionalProperties: true });

/** A resource write body: `connection_id` and the resource's attributes, unknown fields ignored (looseMember). */
export const writeBody = <S extends z.ZodRawShape>(shape: S) => looseMember(shape);

export const connectionId = z
  .uuid()
  .describe(
    'Unique identifier of the connection which will be used to write this resource. A connection represents a Fleet/TSP pairing.',
  );

/** What every record read carries besides its attributes (GET /v2/telematics/<resource>). */
export const recordFields = (noun: string) => ({
  id: z.uuid().describe(`fleetgate's id of the ${noun} (resource_id).`),
  connection_id: z.uuid(),
  source_id: z.string().nullable().describe(`The ${noun}'s id at the TSP, where it gives one.`),
  created_at: z.string(),
  updated_at: z.string(),
});
