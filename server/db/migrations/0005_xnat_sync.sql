CREATE TABLE "xnat_account" (
	"user_id" text NOT NULL,
	"instance_id" text NOT NULL,
	"username" text NOT NULL,
	"verified_at" timestamp with time zone,
	CONSTRAINT "xnat_account_user_id_instance_id_pk" PRIMARY KEY("user_id","instance_id")
);
--> statement-breakpoint
CREATE TABLE "xnat_grant" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"project_id" text NOT NULL,
	"user_id" text NOT NULL,
	"username" text,
	"role" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"desired" text NOT NULL,
	"end_reason" text,
	"until" timestamp with time zone,
	"applied" text DEFAULT 'pending' NOT NULL,
	"confirmed_at" timestamp with time zone,
	"note" text,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xnat_instance" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"url" text NOT NULL,
	"name" text NOT NULL,
	"auth_kind" text NOT NULL,
	"credentials" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xnat_membership" (
	"instance_id" text NOT NULL,
	"project_id" text NOT NULL,
	"username" text NOT NULL,
	"prior_role" text,
	"managed_role" text,
	"active" boolean DEFAULT true NOT NULL,
	"intent" jsonb,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xnat_membership_instance_id_project_id_username_pk" PRIMARY KEY("instance_id","project_id","username")
);
--> statement-breakpoint
CREATE TABLE "xnat_project_sync" (
	"instance_id" text NOT NULL,
	"project_id" text NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"last_reconcile_at" timestamp with time zone,
	"last_error" text,
	"reports" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"drift_found" integer DEFAULT 0 NOT NULL,
	"drift_repaired" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "xnat_project_sync_instance_id_project_id_pk" PRIMARY KEY("instance_id","project_id")
);
--> statement-breakpoint
ALTER TABLE "xnat_account" ADD CONSTRAINT "xnat_account_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xnat_account" ADD CONSTRAINT "xnat_account_instance_id_xnat_instance_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."xnat_instance"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xnat_grant" ADD CONSTRAINT "xnat_grant_instance_id_xnat_instance_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."xnat_instance"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "xnat_grant_source_uidx" ON "xnat_grant" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "xnat_grant_project_idx" ON "xnat_grant" USING btree ("instance_id","project_id");--> statement-breakpoint
CREATE INDEX "xnat_grant_until_idx" ON "xnat_grant" USING btree ("until") WHERE desired = 'present';--> statement-breakpoint
CREATE UNIQUE INDEX "xnat_instance_key_uidx" ON "xnat_instance" USING btree ("key");