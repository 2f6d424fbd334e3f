-- The article the bot offered with "Bedoelt u …?", waiting for the resident's "ja" or "nee".
-- Any next resident message answers it or lets it lapse; an agent's reply clears it.
ALTER TABLE conversations ADD COLUMN offered_article TEXT;
-- The reply owed since the offer is the offer's own: nothing was owed before it. A "ja" that
-- gets the article then settles it, as a confident answer would have; an earlier debt stays.
ALTER TABLE conversations ADD COLUMN offer_owes INTEGER NOT NULL DEFAULT 0;
