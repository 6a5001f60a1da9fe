-- Access tokens revoked before they expire (RFC 7009, POST /realms/catena/protocol/openid-connect/revoke).
-- A token is a stateless JWT; its jti is refused while its row exists. Rows are deleted by the retention
-- pass a day after the token's own expiry (engine/retention.ts).
CREATE TABLE "revoked_tokens" (
	"jti" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "revoked_tokens_expires_idx" ON "revoked_tokens" USING btree ("expires_at");
