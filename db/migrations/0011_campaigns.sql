CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`name` text NOT NULL,
	`facility_types` text NOT NULL,
	`zone_ids` text NOT NULL,
	`crew_ids` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`schedule_id` text,
	`started_by` text NOT NULL,
	`started_at` text NOT NULL,
	`due_at` text NOT NULL,
	`closed_at` text
);
--> statement-breakpoint
CREATE INDEX `campaigns_status_started_idx` ON `campaigns` (`status`,`started_at`);--> statement-breakpoint
CREATE TABLE `findings` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`inspection_id` text NOT NULL,
	`item_id` text NOT NULL,
	`facility_id` text NOT NULL,
	`facility_type` text NOT NULL,
	`zone_id` text NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`workflow_id` text,
	`crew_id` text,
	`opened_at` text NOT NULL,
	`remediation_due_at` text,
	`remediated_at` text,
	`remediation_note` text,
	`closed_at` text,
	`verified_by` text,
	`reopened` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`facility_id`) REFERENCES `facilities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `findings_inspection_item_uq` ON `findings` (`inspection_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `findings_facility_status_idx` ON `findings` (`facility_id`,`status`);--> statement-breakpoint
CREATE INDEX `findings_campaign_idx` ON `findings` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `inspection_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`path` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`uploaded_at` text NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inspection_photos_inspection_idx` ON `inspection_photos` (`inspection_id`);--> statement-breakpoint
CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`kind` text DEFAULT 'inspection' NOT NULL,
	`finding_id` text,
	`facility_id` text NOT NULL,
	`facility_type` text NOT NULL,
	`zone_id` text NOT NULL,
	`crew_id` text,
	`code` text NOT NULL,
	`status` text DEFAULT 'assigned' NOT NULL,
	`checklist` text NOT NULL,
	`results` text,
	`notes` text,
	`lat` real,
	`lon` real,
	`due_at` text NOT NULL,
	`created_at` text NOT NULL,
	`overdue_at` text,
	`inspected_at` text,
	`inspected_by` text,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`facility_id`) REFERENCES `facilities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inspections_campaign_idx` ON `inspections` (`campaign_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `inspections_campaign_facility_uq` ON `inspections` (`campaign_id`,`facility_id`) WHERE kind = 'inspection';--> statement-breakpoint
CREATE INDEX `inspections_crew_status_idx` ON `inspections` (`crew_id`,`status`);