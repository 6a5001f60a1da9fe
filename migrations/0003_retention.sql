CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_operation_idx" ON "idempotency_keys" USING btree ("resource_operation_id");--> statement-breakpoint
CREATE INDEX "resource_operations_success_resource_idx" ON "resource_operations" USING btree ("resource_id","created_at","id") WHERE status = 'success';--> statement-breakpoint
CREATE INDEX "resource_operations_ended_idx" ON "resource_operations" USING btree ("created_at") WHERE status <> 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_ended_idx" ON "webhook_deliveries" USING btree ("created_at") WHERE status <> 'pending';