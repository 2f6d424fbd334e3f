-- The residents' answers to the bot's offers ("Bedoelt u …?", `messages.offer_accepted`, since
-- migration 0017) per conversation, for the reports. Answers recorded before this migration
-- are counted by the backfill below.
ALTER TABLE report_conversations ADD COLUMN offers_yes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_conversations ADD COLUMN offers_no INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER report_offer_answer AFTER UPDATE OF offer_accepted ON messages
WHEN NEW.offer_accepted IS NOT OLD.offer_accepted
BEGIN
    UPDATE report_conversations SET
        offers_yes = offers_yes + (NEW.offer_accepted IS 1) - (OLD.offer_accepted IS 1),
        offers_no = offers_no + (NEW.offer_accepted IS 0) - (OLD.offer_accepted IS 0)
     WHERE conversation_id = NEW.conversation_id;
END;

UPDATE report_conversations SET
    offers_yes = (SELECT COUNT(*) FROM messages m
                   WHERE m.conversation_id = report_conversations.conversation_id
                     AND m.offer_accepted = 1),
    offers_no = (SELECT COUNT(*) FROM messages m
                  WHERE m.conversation_id = report_conversations.conversation_id
                    AND m.offer_accepted = 0);
