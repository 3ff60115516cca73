-- Hand-added (keep when regenerating): rows written before the chain existed cannot be hashed
-- retroactively in a form anyone could check, so they move, unchanged, to audit_event_legacy.
CREATE TABLE "audit_event_legacy" AS SELECT * FROM "audit_event";--> statement-breakpoint
DELETE FROM "audit_event";--> statement-breakpoint
CREATE TABLE "audit_chain_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "seq" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "before" jsonb;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "after" jsonb;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "prev_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "hash" text NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_event_seq_uidx" ON "audit_event" USING btree ("seq");