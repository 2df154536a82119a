-- stepwise:ignore drop-table no release has read legacy_sessions since 41
DROP TABLE legacy_sessions;
