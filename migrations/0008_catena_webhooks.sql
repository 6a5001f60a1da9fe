-- Catena's webhook subscriptions: one event_name per subscription (was an events array), fleet filters,
-- a signing scheme, Catena's statuses (active | paused | stale | deleted) and circuit-breaker state, a
-- dead-letter mark on deliveries that failed for good, and Catena's delivery body.
ALTER TABLE "webhooks" ADD COLUMN "event_name" text;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "filters" jsonb;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "signing" text DEFAULT 'catena' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "secret_seal_id" uuid;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "grace_until" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "breaker_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "breaker_successes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "ewma_success_rate" double precision;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "stale_reason" text;--> statement-breakpoint
-- Existing subscriptions were signed the Standard Webhooks way with a whsec_ secret: their receivers keep
-- verifying as before. New ones default to Catena's signature.
UPDATE "webhooks" SET "signing" = 'standard_webhooks';--> statement-breakpoint
UPDATE "webhooks" SET "status" = 'deleted' WHERE "deleted_at" IS NOT NULL;--> statement-breakpoint
-- Paused after ten failures in a row by the old rule: what Catena's circuit breaker calls stale.
UPDATE "webhooks" SET "status" = 'stale',
    "stale_reason" = 'paused by fleetgate after ' || "consecutive_failures" || ' failed deliveries in a row (before the circuit breaker)'
  WHERE "status" = 'paused' AND "consecutive_failures" >= 10;--> statement-breakpoint
-- events array -> event_name: the first of its events keeps the row (and its id); connection.activated,
-- which Catena has no name for, is dropped. A webhook that had only it is deleted (its name is
-- connection.*, the group it listened to).
UPDATE "webhooks" w SET "event_name" = COALESCE(
    (SELECT u.e FROM unnest(w."events") WITH ORDINALITY AS u(e, n) WHERE u.e <> 'connection.activated' ORDER BY u.n LIMIT 1),
    'connection.*');--> statement-breakpoint
UPDATE "webhooks" SET "status" = 'deleted', "deleted_at" = COALESCE("deleted_at", now())
  WHERE NOT EXISTS (SELECT 1 FROM unnest("events") AS u(e) WHERE u.e <> 'connection.activated');--> statement-breakpoint
-- Each further event becomes a subscription of its own: same partner, URL, secret (sealed under the
-- original id, so secret_seal_id names it), status and history.
INSERT INTO "webhooks" ("id", "partner_id", "url", "description", "events", "event_name", "signing", "secret_sealed", "secret_seal_id",
    "status", "stale_reason", "consecutive_failures", "created_at", "updated_at", "deleted_at")
  SELECT gen_random_uuid(), w."partner_id", w."url", w."description", w."events", u.e, w."signing", w."secret_sealed", w."id",
    w."status", w."stale_reason", w."consecutive_failures", w."created_at", w."updated_at", w."deleted_at"
  FROM "webhooks" w,
    LATERAL (SELECT DISTINCT x.e FROM unnest(w."events") AS x(e) WHERE x.e <> 'connection.activated') u
  WHERE u.e <> w."event_name";--> statement-breakpoint
-- A delivery belongs to the subscription of its event.
UPDATE "webhook_deliveries" d SET "webhook_id" = s."id" FROM "webhooks" s
  WHERE s."secret_seal_id" = d."webhook_id" AND s."event_name" = d."event_type";--> statement-breakpoint
-- connection.activated is no event of Catena's: its deliveries (pending or ended) can be neither sent nor
-- read back in Catena's shapes (a log's event_name is one of Catena's), so they go, with their attempts.
DELETE FROM "webhook_attempts" WHERE "delivery_id" IN (SELECT "id" FROM "webhook_deliveries" WHERE "event_type" = 'connection.activated');--> statement-breakpoint
DELETE FROM "webhook_deliveries" WHERE "event_type" = 'connection.activated';--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "event_name" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" DROP COLUMN "events";--> statement-breakpoint
CREATE INDEX "webhooks_partner_event_idx" ON "webhooks" USING btree ("partner_id","event_name") WHERE deleted_at IS NULL;--> statement-breakpoint
-- Message ids were msg_<32 hex>: the same 128 bits, written as the UUID Catena's message_id is.
UPDATE "webhook_deliveries" SET "message_id" =
    regexp_replace(substr("message_id", 5), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5')
  WHERE "message_id" ~ '^msg_[0-9a-f]{32}$';--> statement-breakpoint
-- Catena's body: {version, event_name, data: [...], timestamp} (webhook_id, id, delivery_attempt are
-- added per attempt); the old {type, timestamp, data} kept its one record as the data's only item.
UPDATE "webhook_deliveries" SET "payload" = jsonb_build_object('version', '1.0', 'event_name', "event_type",
    'data', jsonb_build_array("payload"->'data'), 'timestamp', "payload"->'timestamp')
  WHERE "payload"->>'type' IS NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "dead_lettered_at" timestamp with time zone;--> statement-breakpoint
-- Deliveries that failed for good are the dead-letter queue (not the connection.activated ones above).
UPDATE "webhook_deliveries" SET "dead_lettered_at" = "updated_at" WHERE "status" = 'failed' AND "event_type" <> 'connection.activated';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_dlq_idx" ON "webhook_deliveries" USING btree ("webhook_id","dead_lettered_at") WHERE status = 'failed';--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "webhook_id" uuid;--> statement-breakpoint
UPDATE "webhook_attempts" a SET "webhook_id" = d."webhook_id" FROM "webhook_deliveries" d WHERE d."id" = a."delivery_id";--> statement-breakpoint
ALTER TABLE "webhook_attempts" ALTER COLUMN "webhook_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_attempts_webhook_idx" ON "webhook_attempts" USING btree ("webhook_id","created_at","id");--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "request_id" uuid;
