CREATE TABLE `facilities` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_en` text,
	`type` text NOT NULL,
	`zone_id` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `facilities_zone_idx` ON `facilities` (`zone_id`);--> statement-breakpoint
CREATE TABLE `zones` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_en` text,
	`parent_id` text,
	`tier` text NOT NULL,
	`boundary` text,
	`geocodes` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `zones_parent_idx` ON `zones` (`parent_id`);--> statement-breakpoint
CREATE TABLE `crew_zones` (
	`crew_id` text NOT NULL,
	`zone_id` text NOT NULL,
	PRIMARY KEY(`crew_id`, `zone_id`),
	FOREIGN KEY (`crew_id`) REFERENCES `crews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crew_zones_zone_idx` ON `crew_zones` (`zone_id`);--> statement-breakpoint
CREATE TABLE `crews` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`specialty` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`crew_id` text,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`language` text DEFAULT 'zh-CN' NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`supervisor` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`crew_id`) REFERENCES `crews`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_phone_unique` ON `members` (`phone`);--> statement-breakpoint
CREATE INDEX `members_crew_idx` ON `members` (`crew_id`);--> statement-breakpoint
CREATE TABLE `sensors` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`metric` text NOT NULL,
	`unit` text NOT NULL,
	`zone_id` text NOT NULL,
	`facility_id` text,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`facility_id`) REFERENCES `facilities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sensors_zone_idx` ON `sensors` (`zone_id`);--> statement-breakpoint
CREATE TABLE `run_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`actor` text NOT NULL,
	`message` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_events_key_uq` ON `run_events` (`run_id`,`key`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`temporal_run_id` text,
	`playbook_id` text NOT NULL,
	`playbook_version` text NOT NULL,
	`hazard` text NOT NULL,
	`zone_id` text NOT NULL,
	`level` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`drill` integer DEFAULT false NOT NULL,
	`reason` text NOT NULL,
	`started_by` text NOT NULL,
	`started_at` text NOT NULL,
	`closed_at` text,
	`closed_reason` text,
	`updated_at` text NOT NULL,
	`snapshot` text
);
--> statement-breakpoint
CREATE INDEX `runs_status_started_idx` ON `runs` (`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_workflow_idx` ON `runs` (`workflow_id`);