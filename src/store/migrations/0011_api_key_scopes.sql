-- What an API key may do: a comma-separated subset of suggest, conversations, kb, reports.
-- Keys made before scopes existed keep what they could do then.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'suggest,conversations';
