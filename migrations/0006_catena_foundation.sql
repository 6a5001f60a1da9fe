-- Catena drop-in foundation: fleets with an identity of their own, a connection's fleet, the body fields a
-- write ignored, and Catena's scope names for existing clients.
CREATE TABLE "fleets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"fleet_ref" text,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "fleets" ADD CONSTRAINT "fleets_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fleets_partner_ref_uq" ON "fleets" USING btree ("partner_id","fleet_ref") WHERE fleet_ref IS NOT NULL;--> statement-breakpoint
CREATE INDEX "fleets_partner_idx" ON "fleets" USING btree ("partner_id","created_at","id");--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "fleet_id" uuid;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_fleet_id_fleets_id_fk" FOREIGN KEY ("fleet_id") REFERENCES "public"."fleets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connections_fleet_idx" ON "connections" USING btree ("fleet_id");--> statement-breakpoint
-- Every existing fleet_ref becomes a fleet of its partner, and its connections point at it.
INSERT INTO "fleets" ("partner_id", "fleet_ref")
  SELECT DISTINCT "partner_id", "fleet_ref" FROM "connections" WHERE "fleet_ref" IS NOT NULL;--> statement-breakpoint
UPDATE "connections" c SET "fleet_id" = f."id" FROM "fleets" f
  WHERE f."partner_id" = c."partner_id" AND f."fleet_ref" = c."fleet_ref";--> statement-breakpoint
ALTER TABLE "resource_operations" ADD COLUMN "ignored_fields" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- webhook:manage was fleetgate's one webhook scope; Catena has four, and resource_operation:read for the
-- operation reads that telematics:read covered.
UPDATE "oauth_clients" SET "scopes" = array_remove("scopes", 'webhook:manage') || ARRAY['webhook:read','webhook:create','webhook:update','webhook:delete']
  WHERE 'webhook:manage' = ANY("scopes");--> statement-breakpoint
UPDATE "oauth_clients" SET "scopes" = "scopes" || ARRAY['resource_operation:read']
  WHERE 'telematics:read' = ANY("scopes") AND NOT ('resource_operation:read' = ANY("scopes"));
