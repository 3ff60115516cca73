ALTER TABLE "collection" ADD COLUMN "record_datestamp" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "collection" ADD COLUMN "exposed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "collection_datestamp_id_idx" ON "collection" USING btree ("record_datestamp","id");--> statement-breakpoint
UPDATE "collection" SET "record_datestamp" = "modified_at", "exposed_at" = CASE WHEN "publication_state" <> 'draft' AND "visibility" <> 'private' THEN coalesce("published_at", "modified_at") END;
