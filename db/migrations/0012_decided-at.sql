ALTER TABLE `alerts` ADD `decided_at` text;--> statement-breakpoint
ALTER TABLE `facility_events` ADD `decided_at` text;--> statement-breakpoint
-- Everything received before this migration was decided when it arrived.
UPDATE `alerts` SET `decided_at` = `received_at`;--> statement-breakpoint
UPDATE `facility_events` SET `decided_at` = `received_at`;
