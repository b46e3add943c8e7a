"""LINE Messaging API channel: webhook, translation to `Inbound`, rendering of `Outbound`, rich menu."""
