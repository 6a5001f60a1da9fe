-- Rate limits per endpoint class of a TSP's API: one schedule per (connection, class).
ALTER TABLE "rate_limits" ADD COLUMN "rate_class" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limits" DROP CONSTRAINT "rate_limits_pkey";--> statement-breakpoint
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_pkey" PRIMARY KEY("connection_id","rate_class");--> statement-breakpoint
ALTER TABLE "resource_operations" ADD COLUMN "rate_class" text DEFAULT 'default' NOT NULL;
