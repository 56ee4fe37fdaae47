CREATE TABLE `facility_events` (
	`facility_id` text NOT NULL,
	`time` text NOT NULL,
	`status` text NOT NULL,
	`detail` text,
	`received_at` text NOT NULL,
	PRIMARY KEY(`facility_id`, `time`),
	FOREIGN KEY (`facility_id`) REFERENCES `facilities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cron_claims` (
	`key` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`claimed_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `feeds` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`cron` text NOT NULL,
	`zone_id` text,
	`enabled` integer DEFAULT true NOT NULL,
	`silent_after_seconds` integer DEFAULT 1800 NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_polled_at` text,
	`last_ok_at` text,
	`last_status` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`backoff_until` text,
	`escalated_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sensor_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text DEFAULT 'threshold' NOT NULL,
	`sensor_id` text,
	`zone_id` text,
	`metric` text,
	`hazard` text,
	`playbook_id` text,
	`level` text,
	`above` real,
	`clear_below` real,
	`sustained_seconds` integer DEFAULT 0 NOT NULL,
	`window_seconds` integer,
	`silent_seconds` integer,
	`created_at` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`sensor_id`) REFERENCES `sensors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_sensor_rules`("id", "kind", "sensor_id", "zone_id", "metric", "hazard", "playbook_id", "level", "above", "clear_below", "sustained_seconds", "window_seconds", "silent_seconds", "created_at") SELECT "id", 'threshold', "sensor_id", NULL, NULL, "hazard", "playbook_id", "level", "above", "clear_below", "sustained_seconds", NULL, NULL, '' FROM `sensor_rules`;--> statement-breakpoint
-- Each rule's state moves to sensor_rule_states (one row per rule and sensor); carried through a scratch table
-- because dropping sensor_rules would cascade into a states table created before it.
CREATE TABLE `__carry_rule_states` AS SELECT "id" AS rule_id, "sensor_id", "tripped", "over_since", "last_time" FROM `sensor_rules`;--> statement-breakpoint
DROP TABLE `sensor_rules`;--> statement-breakpoint
ALTER TABLE `__new_sensor_rules` RENAME TO `sensor_rules`;--> statement-breakpoint
CREATE TABLE `sensor_rule_states` (
	`rule_id` text NOT NULL,
	`sensor_id` text NOT NULL,
	`tripped` integer DEFAULT false NOT NULL,
	`over_since` text,
	`last_time` text,
	PRIMARY KEY(`rule_id`, `sensor_id`),
	FOREIGN KEY (`rule_id`) REFERENCES `sensor_rules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sensor_id`) REFERENCES `sensors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `sensor_rule_states`("rule_id", "sensor_id", "tripped", "over_since", "last_time") SELECT "rule_id", "sensor_id", "tripped", "over_since", "last_time" FROM `__carry_rule_states`;--> statement-breakpoint
DROP TABLE `__carry_rule_states`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `sensor_rules_sensor_idx` ON `sensor_rules` (`sensor_id`);--> statement-breakpoint
CREATE INDEX `sensor_rules_zone_idx` ON `sensor_rules` (`zone_id`);--> statement-breakpoint
CREATE INDEX `readings_time_idx` ON `readings` (`time`);