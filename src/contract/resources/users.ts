// The normalized user, exactly as the Catena v2 "Create User" page describes it
// (shared/seeds/catena-create-user.txt): field names, types, patterns and enums are the seed's.
// This one schema yields request validation, the OpenAPI document and the TypeScript types.
import { z } from 'zod';
import {
  HOS_COMPLIANCE_TYPES,
  HOS_RULESET_CODES,
  HOS_TRACKING_METHODS,
  TIME_ZONES,
  USER_STATUSES,
} from '../enums.ts';
import { alpha3, connectionId, flag, looseMember, text, writeBody } from '../common/fields.ts';
import { notKept, readFields } from '../common/records.ts';


export const hosComplianceType = z
  .enum(HOS_COMPLIANCE_TYPES)
  .nullable()
  .optional()
  .describe('Driver HOS compliance classification: exempt or non-exempt.');
export const hosTrackingMethod = z
  .enum(HOS_TRACKING_METHODS)
  .nullable()
  .optional()
  .describe('How HOS is tracked for non-exempt drivers (manual or automatic).');

/**
 * The seed names `hos_tracking_mode` ("HosTrackingMode · object, normalized HOS tracking configuration")
 * without listing its members. fleetgate reads it as the grouped form of the two top-level fields;
 * when both forms are sent they must agree (checked by the submit step, see resources/users).
 */
export const HosTrackingMode = looseMember({
  hos_compliance_type: hosComplianceType,
  hos_tracking_method: hosTrackingMethod,
})
  .describe('Normalized HOS tracking configuration.');

/** Every writable attribute of a user; all optional and nullable. */
export const userAttributes = {
  username: text('Unique username/login for the user (source or Catena).'),
  is_active: flag('Indicates whether the user is currently active.'),
  status: z
    .enum(USER_STATUSES)
    .nullable()
    .optional()
    .describe("User/account status label (e.g., 'ACTIVE', 'INACTIVE')."),
  is_driver: flag('Indicates whether the user is a driver (vs. back-office/admin).'),
  user_designation: text("Role/title or TSP designation (e.g., 'DRIVER', 'DISPATCHER', 'ADMIN')."),
  user_email: text('Email address for the user.'),
  first_name: text("User's given name."),
  last_name: text("User's family/surname."),
  phone_number: text("User's phone number."),
  country_code: alpha3("User's country code (ISO-3166-1 alpha-3, e.g., 'USA', 'CAN')."),
  license_country: alpha3("Issuing country for the driver's license (ISO-3166-1 alpha-3)."),
  license_region: text("Issuing region/subdivision for the license (state/province code, e.g., 'CA', 'ON')."),
  license_number: text("Driver's license number as recorded by the source."),
  license_expiration: z.iso
    .date('must be a calendar date YYYY-MM-DD')
    .nullable()
    .optional()
    .describe('License expiration date (YYYY-MM-DD, local to issuing authority).'),
  employee_number: text('Employer/HR or payroll identifier for the user (if applicable).'),
  carrier_number: text('Carrier/company identifier as provided by the TSP (e.g., USDOT/MC or internal).'),
  notes: text('Free-text notes about the user (plain text).'),
  hos_ruleset_code: z
    .enum(HOS_RULESET_CODES)
    .nullable()
    .optional()
    .describe('Assigned HOS ruleset code for the user (normalized; see ref_hos_ruleset_codes).'),
  allow_yard_move: flag('Indicates whether the user is allowed to use Yard Move (YM).'),
  allow_personal_conveyance: flag('Indicates whether the user is allowed to use Personal Conveyance (PC).'),
  allow_adverse_driving: flag('Indicates whether the user can apply the Adverse Driving exemption.'),
  default_time_zone: z
    .enum(TIME_ZONES)
    .nullable()
    .optional()
    .describe("IANA time zone ID (e.g., 'America/Chicago'); the user's default for UI/log normalization."),
  dot_id: text('DOT identifier associated with the user/carrier.'),
  phone_country_code: text("Phone country code in '+' format, e.g., '+1'."),
  hos_tracking_mode: HosTrackingMode.nullable().optional(),
  hos_compliance_type: hosComplianceType,
  hos_tracking_method: hosTrackingMethod,
};

export type UserAttributeName = keyof typeof userAttributes;
export const USER_ATTRIBUTE_NAMES = Object.keys(userAttributes) as UserAttributeName[];

export const CreateUserBody = writeBody({ connection_id: connectionId, ...userAttributes })
  .describe('User model for creating new records')
  .meta({ id: 'UserCreate' });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = writeBody({ connection_id: connectionId, ...userAttributes })
  .describe('User model for updating records: only the fields sent change.')
  .meta({ id: 'UserUpdate' });
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

/** The normalized attributes alone (what adapters map); `connection_id` travels beside them. */
export type UserAttributes = Omit<CreateUserBody, 'connection_id'>;

/** UserRead's fields that are not a user's writable attributes: Catena reads them from the TSP. */
const userReadOnly = {
  started_at: notKept.dateTime('Timestamp when this user record became active/in service (UTC).'),
  ended_at: notKept.dateTime('Timestamp when this user record ended/out of service (UTC).'),
  company_groups: notKept.map('JSON map of company/organization group memberships (segmentation/visibility).'),
  private_user_groups: notKept.map('JSON map of user-specific private groups (per-user tags/categories).'),
  report_groups: notKept.map('JSON map of reporting groups (used for dashboards/permissions).'),
  security_groups: notKept.map('JSON map of security/role groups (authorization).'),
  authority_name: notKept.text('Authority name associated with the user for RODS/inspection docs (as provided by the TSP).'),
  authority_address: notKept.text('Authority mailing/address line associated with the user for RODS/inspection docs (from TSP).'),
  company_name: notKept.text('Employer/carrier name associated with the user.'),
  company_address: notKept.text('Employer/carrier address associated with the user.'),
  last_tsp_login: notKept.dateTime("Timestamp of the user's last login in the source TSP (UTC)."),
};

/**
 * A user as fleetgate last wrote it (GET /v2/telematics/users): Catena's UserRead, every field of it, and
 * fleetgate's own user fields (dot_id, phone_country_code, the HOS tracking fields) added.
 */
export const UserRecord = z
  .object({ ...readFields('user'), ...userAttributes, ...userReadOnly })
  .describe('User model for API responses')
  .meta({ id: 'UserRead' });
