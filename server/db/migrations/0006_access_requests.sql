CREATE TABLE "access_attachment" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"message_id" text,
	"uploader_id" text NOT NULL,
	"audience" text DEFAULT 'all' NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_cart_item" (
	"user_id" text NOT NULL,
	"collection_id" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_cart_item_user_id_collection_id_pk" PRIMARY KEY("user_id","collection_id")
);
--> statement-breakpoint
CREATE TABLE "access_decision" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" text NOT NULL,
	"outcome" text NOT NULL,
	"actor_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"role" text,
	"until" text,
	"reason" text,
	"conditions" text,
	"form_version" integer NOT NULL,
	"days_to_decision" integer
);
--> statement-breakpoint
CREATE TABLE "access_form_version" (
	"request_id" text NOT NULL,
	"version" integer NOT NULL,
	"form" jsonb NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "access_form_version_request_id_version_pk" PRIMARY KEY("request_id","version")
);
--> statement-breakpoint
CREATE TABLE "access_item" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"collection_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"conflicts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"role" text,
	"until" text,
	"assignee_id" text,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"expiry_notices" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_message" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"author_id" text NOT NULL,
	"audience" text NOT NULL,
	"body" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_request" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"renewal_of" text,
	"form_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_message" (
	"id" text PRIMARY KEY NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"message_id" text NOT NULL,
	"in_reply_to" text,
	"references" text,
	"request_id" text,
	"user_id" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"event_class" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"request_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"digested_at" timestamp with time zone,
	"mode" text DEFAULT 'immediately' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_preference" (
	"user_id" text NOT NULL,
	"event_class" text NOT NULL,
	"mode" text NOT NULL,
	CONSTRAINT "notification_preference_user_id_event_class_pk" PRIMARY KEY("user_id","event_class")
);
--> statement-breakpoint
ALTER TABLE "access_attachment" ADD CONSTRAINT "access_attachment_request_id_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_cart_item" ADD CONSTRAINT "access_cart_item_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_cart_item" ADD CONSTRAINT "access_cart_item_collection_id_collection_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collection"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_decision" ADD CONSTRAINT "access_decision_item_id_access_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."access_item"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_form_version" ADD CONSTRAINT "access_form_version_request_id_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_item" ADD CONSTRAINT "access_item_request_id_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_item" ADD CONSTRAINT "access_item_collection_id_collection_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collection"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_item" ADD CONSTRAINT "access_item_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_message" ADD CONSTRAINT "access_message_request_id_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_owner_id_app_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD CONSTRAINT "notification_preference_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_attachment_request_idx" ON "access_attachment" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "access_decision_item_idx" ON "access_decision" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "access_item_request_collection_uidx" ON "access_item" USING btree ("request_id","collection_id");--> statement-breakpoint
CREATE INDEX "access_item_provider_status_idx" ON "access_item" USING btree ("provider_id","status");--> statement-breakpoint
CREATE INDEX "access_item_collection_idx" ON "access_item" USING btree ("collection_id");--> statement-breakpoint
CREATE INDEX "access_message_request_idx" ON "access_message" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "access_request_owner_idx" ON "access_request" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "mail_message_request_user_idx" ON "mail_message" USING btree ("request_id","user_id");--> statement-breakpoint
CREATE INDEX "notification_user_idx" ON "notification" USING btree ("user_id","at");