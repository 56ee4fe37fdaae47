CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`run_id` text,
	`task_id` text,
	`member_id` text NOT NULL,
	`channel` text NOT NULL,
	`to` text NOT NULL,
	`body` text NOT NULL,
	`drill` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`provider` text,
	`provider_message_id` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`sent_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_key_uq` ON `messages` (`key`);--> statement-breakpoint
CREATE INDEX `messages_run_idx` ON `messages` (`run_id`);--> statement-breakpoint
CREATE INDEX `messages_provider_idx` ON `messages` (`provider_message_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`step_id` text NOT NULL,
	`title` text NOT NULL,
	`zone_id` text NOT NULL,
	`facility_id` text,
	`crew_id` text,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`assigned_at` text,
	`acknowledged_at` text,
	`done_at` text,
	`verified_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tasks_run_idx` ON `tasks` (`run_id`);--> statement-breakpoint
CREATE INDEX `tasks_crew_status_idx` ON `tasks` (`crew_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_code_idx` ON `tasks` (`code`);