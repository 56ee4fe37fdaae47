CREATE TABLE `alerts` (
	`sender` text NOT NULL,
	`identifier` text NOT NULL,
	`source` text NOT NULL,
	`msg_type` text NOT NULL,
	`received_at` text NOT NULL,
	`workflow_ids` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`sender`, `identifier`)
);
--> statement-breakpoint
CREATE INDEX `alerts_identifier_idx` ON `alerts` (`identifier`);--> statement-breakpoint
CREATE TABLE `trigger_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`source` text NOT NULL,
	`identifier` text NOT NULL,
	`msg_type` text NOT NULL,
	`action` text NOT NULL,
	`hazard` text,
	`level` text,
	`zone_id` text,
	`run_id` text,
	`workflow_id` text,
	`reason` text NOT NULL,
	`by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `trigger_log_at_idx` ON `trigger_log` (`at`);--> statement-breakpoint
CREATE INDEX `trigger_log_zone_idx` ON `trigger_log` (`zone_id`);