// The shape of ./sdk-vocabulary.ts, the table tools/samsara-vocabulary.ts generates from the official
// Samsara SDK's type declarations.

/** A member's type as the SDK declares it; `object` names another entry of the table. */
export type SdkType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: string[] }
  | { kind: 'array'; of: SdkType }
  | { kind: 'map' }
  | { kind: 'object'; name: string }
  | { kind: 'union'; of: SdkType[] };

export interface SdkField {
  type: SdkType;
  /** Not optional in the SDK's type. */
  required: boolean;
  /** The SDK's type admits null. */
  nullable: boolean;
  /** The type's own docstring says an explicit null deletes it (UsDriverRulesetOverride). */
  clearedByNull: boolean;
}

export interface SdkObject {
  /** The declaration's file, relative to the SDK package root. */
  source: string;
  fields: Record<string, SdkField>;
}

export interface SdkVocabulary {
  /** The SDK package version the table was read from. */
  version: string;
  objects: Record<string, SdkObject>;
}
