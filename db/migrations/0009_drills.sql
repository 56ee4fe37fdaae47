CREATE TABLE `drill_runs` (
	`run_id` text PRIMARY KEY NOT NULL,
	`drill_id` text NOT NULL,
	`playbook_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`run_workflow_id` text NOT NULL,
	`status` text NOT NULL,
	`announced_at` text NOT NULL,
	`starts_at` text NOT NULL,
	`started_at` text,
	`ended_at` text,
	`ended_reason` text,
	`fed` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`drill_id`) REFERENCES `drills`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `drill_runs_drill_idx` ON `drill_runs` (`drill_id`,`announced_at`);--> statement-breakpoint
CREATE INDEX `drill_runs_playbook_idx` ON `drill_runs` (`playbook_id`,`announced_at`);--> statement-breakpoint
CREATE TABLE `drills` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`playbook_id` text NOT NULL,
	`zone_id` text NOT NULL,
	`level` text NOT NULL,
	`participants` text NOT NULL,
	`objectives` text DEFAULT '[]' NOT NULL,
	`injects` text DEFAULT '[]' NOT NULL,
	`timers` text DEFAULT '{}' NOT NULL,
	`lead` text DEFAULT '0s' NOT NULL,
	`window` text DEFAULT '2h' NOT NULL,
	`on_real_incident` text DEFAULT 'end' NOT NULL,
	`schedule` text,
	`skip_dates` text DEFAULT '[]' NOT NULL,
	`overlap` text DEFAULT 'skip' NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
