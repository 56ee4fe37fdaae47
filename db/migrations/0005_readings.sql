CREATE TABLE `readings` (
	`sensor_id` text NOT NULL,
	`metric` text NOT NULL,
	`time` text NOT NULL,
	`value` real NOT NULL,
	`unit` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`sensor_id`, `metric`, `time`),
	FOREIGN KEY (`sensor_id`) REFERENCES `sensors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sensor_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`sensor_id` text NOT NULL,
	`hazard` text NOT NULL,
	`playbook_id` text NOT NULL,
	`level` text NOT NULL,
	`above` real NOT NULL,
	`clear_below` real NOT NULL,
	`sustained_seconds` integer DEFAULT 0 NOT NULL,
	`tripped` integer DEFAULT false NOT NULL,
	`over_since` text,
	`last_time` text,
	FOREIGN KEY (`sensor_id`) REFERENCES `sensors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sensor_rules_sensor_idx` ON `sensor_rules` (`sensor_id`);