-- Who sent a message that no agent wrote: "Koppeling <key name>" for a reply an inbox tool
-- sent through the API. Kept as shown, so it survives renaming or deleting the key.
ALTER TABLE messages ADD COLUMN author_label TEXT;

-- Delivery errors are reasons, not sentences: the conversation page puts "Niet afgeleverd: "
-- before them. Earlier versions stored two whole sentences.
UPDATE messages SET delivery_error = 'de inwoner heeft niet binnen 7 dagen gereageerd'
 WHERE delivery_error = 'Het antwoord kon niet worden afgeleverd: de inwoner heeft niet binnen 7 dagen gereageerd.';
UPDATE messages
   SET delivery_error = 'het versturen is 24 uur lang mislukt (laatste fout: '
       || substr(delivery_error, length('not delivered within 24 hours; last error: ') + 1) || ')'
 WHERE delivery_error LIKE 'not delivered within 24 hours; last error: %';
