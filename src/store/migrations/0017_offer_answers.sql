-- The article a bot message offered ("Bedoelt u …?") and the resident's answer to that offer:
-- 1 for "ja", 0 for "nee", NULL while unanswered or when it lapsed. A declined offer names the
-- article a question is not answered by, for the gap report. `article_id` stays for articles
-- that were sent, so usage figures do not count offers as answers.
ALTER TABLE messages ADD COLUMN offered_article TEXT;
ALTER TABLE messages ADD COLUMN offer_accepted INTEGER;
