-- Catena's reads: a record keeps the TSP's own record of it as fleetgate last saw it (source_data) and the
-- SHA-256 of its canonical JSON (source_data_hash). A record written before keeps {} and the hash of {}
-- (fleetgate did not keep the TSP's answers then). An operation keeps the TSP and fleet_ref of its
-- connection at submit (source_name, fleet_ref), filled here for the operations already stored.
ALTER TABLE "resources" ADD COLUMN "source_data" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "source_data_hash" text DEFAULT '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' NOT NULL;--> statement-breakpoint
ALTER TABLE "resource_operations" ADD COLUMN "source_name" text;--> statement-breakpoint
ALTER TABLE "resource_operations" ADD COLUMN "fleet_ref" text;--> statement-breakpoint
UPDATE "resource_operations" o SET "source_name" = c."tsp", "fleet_ref" = c."fleet_ref"
  FROM "connections" c WHERE c."id" = o."connection_id";--> statement-breakpoint
ALTER TABLE "resource_operations" ALTER COLUMN "source_name" SET NOT NULL;
