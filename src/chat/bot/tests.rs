//! The bot policy, one branch a test: answers, offers, feedback, hand-over, precedence.

use super::*;

fn situation(intent: Intent) -> Situation<'static> {
    Situation {
        mode: BotMode::OutsideOfficeHours,
        office_open: false,
        intent,
        awaiting_feedback: false,
        personal_data: false,
        answerable: None,
        offerable: None,
        offered: None,
        notice_sent_for: None,
        period: "2026-11-30T08:30",
    }
}

const NOTICE_SENT: Option<&str> = Some("2026-11-30T08:30");

fn offer(article_id: &str) -> Action {
    Action::Offer {
        article_id: article_id.into(),
    }
}

fn article(article_id: &str) -> Action {
    Action::SendArticle {
        article_id: article_id.into(),
        ask_feedback: true,
    }
}

/// Suggestions ranked as given: (id, confidence, whether the article allows the bot).
fn ranked(confident: bool, ranked: &[(&str, f32, bool)]) -> Suggestions {
    let suggestion = |&(id, confidence, bot): &(&str, f32, bool)| crate::search::Suggestion {
        id: id.into(),
        title: id.into(),
        score: 1.0,
        confidence,
        answer: String::new(),
        links: Vec::new(),
        matched: Vec::new(),
        unexplained: Vec::new(),
        partly: Vec::new(),
        excluded: Vec::new(),
        unanswered: Vec::new(),
        not_answered: None,
        asked_elsewhere: None,
        bot,
        evidence: Default::default(),
    };
    Suggestions {
        message: "vraag".into(),
        confident,
        suggestions: ranked.iter().map(suggestion).collect(),
    }
}

#[test]
fn only_a_clear_lead_below_the_threshold_is_offerable() {
    let rule = OfferRule {
        min_confidence: 0.5,
        lead: 0.5,
    };
    let offered = |s: &Suggestions| offerable(s, rule).map(String::from);
    let clear = ranked(false, &[("paspoort", 0.6, true), ("idkaart", 0.29, true)]);
    assert_eq!(offered(&clear).as_deref(), Some("paspoort"));
    let alone = ranked(false, &[("paspoort", 0.5, true)]);
    assert_eq!(
        offered(&alone).as_deref(),
        Some("paspoort"),
        "no competitor"
    );
    let close = ranked(false, &[("paspoort", 0.6, true), ("idkaart", 0.3, true)]);
    assert_eq!(offered(&close), None, "#2 at half of #1 is no clear lead");
    let weak = ranked(false, &[("paspoort", 0.49, true)]);
    assert_eq!(offered(&weak), None, "below offer_confidence");
    let confident = ranked(true, &[("paspoort", 0.9, true)]);
    assert_eq!(
        offered(&confident),
        None,
        "confident: answered, not offered"
    );
    let people_only = ranked(false, &[("paspoort", 0.7, false)]);
    assert_eq!(
        offered(&people_only),
        None,
        "the article does not allow the bot"
    );
    assert_eq!(offered(&ranked(false, &[])), None);
}

#[test]
fn a_clear_lead_below_the_threshold_is_offered_after_the_away_text() {
    let s = Situation {
        offerable: Some("paspoort"),
        ..situation(Intent::Other)
    };
    assert_eq!(decide(&s, "privacy"), [Action::Notice, offer("paspoort")]);
    assert!(
        owes_reply(Intent::Other, &decide(&s, "privacy")),
        "an offer is no answer"
    );
    let noticed = Situation {
        notice_sent_for: NOTICE_SENT,
        ..s.clone()
    };
    assert_eq!(decide(&noticed, "privacy"), [offer("paspoort")]);
    let confident = Situation {
        answerable: Some("grofvuil"),
        ..s
    };
    assert_eq!(decide(&confident, "privacy"), [article("grofvuil")]);
}

#[test]
fn ja_to_the_offer_sends_the_article_and_settles_the_reply() {
    let s = Situation {
        offered: Some("paspoort"),
        notice_sent_for: NOTICE_SENT,
        ..situation(Intent::Yes)
    };
    let actions = decide(&s, "privacy");
    assert_eq!(actions, [article("paspoort"), Action::SettleOffer]);
    assert!(!owes_reply(Intent::Yes, &actions));
    // The offer comes after any feedback question, so "ja" answers the offer.
    let after_feedback = Situation {
        awaiting_feedback: true,
        ..s
    };
    assert_eq!(
        decide(&after_feedback, "privacy"),
        [article("paspoort"), Action::SettleOffer]
    );
}

#[test]
fn nee_to_the_offer_promises_a_person_and_leaves_the_reply_owed() {
    let s = Situation {
        offered: Some("paspoort"),
        notice_sent_for: NOTICE_SENT,
        ..situation(Intent::No)
    };
    let actions = decide(&s, "privacy");
    assert_eq!(actions, [Action::Say(Text::OfferDeclined)]);
    assert!(owes_reply(Intent::No, &actions));
    let next_period = Situation {
        notice_sent_for: None,
        ..s
    };
    assert_eq!(
        decide(&next_period, "privacy"),
        [Action::Say(Text::OfferDeclined), Action::Notice]
    );
}

#[test]
fn anything_else_lets_the_offer_lapse_and_is_handled_as_usual() {
    let pending = |intent| Situation {
        offered: Some("paspoort"),
        notice_sent_for: NOTICE_SENT,
        ..situation(intent)
    };
    let question = Situation {
        answerable: Some("grofvuil"),
        ..pending(Intent::Other)
    };
    assert_eq!(decide(&question, "privacy"), [article("grofvuil")]);
    assert_eq!(decide(&pending(Intent::Other), "privacy"), []);
    let another_offer = Situation {
        offerable: Some("idkaart"),
        ..pending(Intent::Other)
    };
    assert_eq!(decide(&another_offer, "privacy"), [offer("idkaart")]);
    assert_eq!(
        decide(&pending(Intent::Thanks), "privacy"),
        [Action::Say(Text::Thanks)]
    );
}

#[test]
fn personal_data_a_person_and_small_talk_go_before_an_offer() {
    let offerable = |intent| Situation {
        offerable: Some("paspoort"),
        notice_sent_for: NOTICE_SENT,
        ..situation(intent)
    };
    let privacy = Situation {
        personal_data: true,
        ..offerable(Intent::Other)
    };
    assert_eq!(
        decide(&privacy, "privacy"),
        [Action::SendArticle {
            article_id: "privacy".into(),
            ask_feedback: false
        }]
    );
    let ja_with_personal_data = Situation {
        personal_data: true,
        offered: Some("paspoort"),
        ..situation(Intent::Yes)
    };
    assert!(
        !decide(&ja_with_personal_data, "privacy").contains(&article("paspoort")),
        "the privacy answer, not the offered article"
    );
    assert_eq!(
        decide(&offerable(Intent::Person), "privacy"),
        [
            Action::Prioritise,
            Action::Say(Text::Handover),
            Action::Notice
        ]
    );
    assert_eq!(
        decide(&offerable(Intent::Greeting), "privacy"),
        [Action::Say(Text::Greeting)]
    );
    // "ja" with no offer pending asks nothing, so it gets no offer either.
    assert_eq!(decide(&offerable(Intent::Yes), "privacy"), []);
}

#[test]
fn an_inactive_bot_offers_nothing_and_leaves_the_answer_to_the_offer_to_agents() {
    let open = Situation {
        office_open: true,
        offerable: Some("paspoort"),
        ..situation(Intent::Other)
    };
    assert_eq!(decide(&open, "privacy"), []);
    let off = Situation {
        mode: BotMode::Off,
        ..open.clone()
    };
    assert_eq!(decide(&off, "privacy"), []);
    for intent in [Intent::Yes, Intent::No] {
        let answer = Situation {
            office_open: true,
            offered: Some("paspoort"),
            awaiting_feedback: true,
            ..situation(intent)
        };
        let actions = decide(&answer, "privacy");
        assert_eq!(
            actions,
            [],
            "{intent:?} answers the offer, not the feedback question"
        );
        assert!(owes_reply(intent, &actions), "{intent:?}: agents reply");
    }
}

#[test]
fn a_confident_answer_is_sent_with_the_feedback_question() {
    let s = Situation {
        answerable: Some("grofvuil"),
        ..situation(Intent::Other)
    };
    assert_eq!(
        decide(&s, "privacy"),
        [Action::SendArticle {
            article_id: "grofvuil".into(),
            ask_feedback: true
        }]
    );
}

#[test]
fn the_away_text_goes_out_once_per_closed_period() {
    let first = situation(Intent::Other);
    assert_eq!(decide(&first, "privacy"), [Action::Notice]);
    let again = Situation {
        notice_sent_for: Some("2026-11-30T08:30"),
        ..situation(Intent::Other)
    };
    assert_eq!(decide(&again, "privacy"), []);
    let next_period = Situation {
        notice_sent_for: Some("2026-11-27T08:30"),
        ..situation(Intent::Other)
    };
    assert_eq!(decide(&next_period, "privacy"), [Action::Notice]);
}

#[test]
fn no_after_an_answer_hands_over_with_priority() {
    let s = Situation {
        awaiting_feedback: true,
        ..situation(Intent::No)
    };
    assert_eq!(
        decide(&s, "privacy"),
        [
            Action::RecordFeedback { helpful: false },
            Action::Prioritise,
            Action::Say(Text::FeedbackNo),
            Action::Notice
        ]
    );
    let yes = Situation {
        awaiting_feedback: true,
        ..situation(Intent::Yes)
    };
    assert_eq!(
        decide(&yes, "privacy"),
        [
            Action::RecordFeedback { helpful: true },
            Action::Say(Text::FeedbackYes)
        ]
    );
}

#[test]
fn asking_for_a_person_hands_over_at_once_even_after_the_notice() {
    let s = Situation {
        notice_sent_for: Some("2026-11-30T08:30"),
        ..situation(Intent::Person)
    };
    assert_eq!(
        decide(&s, "privacy"),
        [
            Action::Prioritise,
            Action::Say(Text::Handover),
            Action::Notice
        ]
    );
}

#[test]
fn personal_data_gets_the_privacy_article_instead_of_an_answer() {
    let s = Situation {
        personal_data: true,
        answerable: Some("paspoort-aanvragen"),
        ..situation(Intent::Other)
    };
    assert_eq!(
        decide(&s, "privacy"),
        [
            Action::SendArticle {
                article_id: "privacy".into(),
                ask_feedback: false
            },
            Action::Notice
        ]
    );
}

#[test]
fn a_reply_is_owed_unless_the_bot_answered_or_nothing_was_asked() {
    let owes = |intent, s: &Situation<'_>| owes_reply(intent, &decide(s, "privacy"));
    let person = situation(Intent::Person);
    assert!(owes(Intent::Person, &person), "hand-over");
    let privacy = Situation {
        personal_data: true,
        ..situation(Intent::Other)
    };
    assert!(owes(Intent::Other, &privacy), "privacy answer");
    assert!(owes(Intent::Other, &situation(Intent::Other)), "away text");
    let nee = Situation {
        awaiting_feedback: true,
        ..situation(Intent::No)
    };
    assert!(owes(Intent::No, &nee), "nee");
    let answered = Situation {
        answerable: Some("grofvuil"),
        ..situation(Intent::Other)
    };
    assert!(!owes(Intent::Other, &answered), "bot answer");
    assert!(!owes(Intent::Greeting, &situation(Intent::Greeting)));
    assert!(!owes(Intent::Thanks, &situation(Intent::Thanks)));
    let ja = Situation {
        awaiting_feedback: true,
        office_open: true,
        ..situation(Intent::Yes)
    };
    assert!(!owes(Intent::Yes, &ja), "ja, even with the bot inactive");
    // With the bot inactive only people answer: a greeting needs one, thanks does not.
    assert!(owes_reply(Intent::Greeting, &[]));
    assert!(!owes_reply(Intent::Thanks, &[]));
}

#[test]
fn the_bot_is_silent_when_inactive_but_still_records_feedback() {
    let open = Situation {
        office_open: true,
        answerable: Some("grofvuil"),
        ..situation(Intent::Other)
    };
    assert_eq!(decide(&open, "privacy"), []);
    let off = Situation {
        mode: BotMode::Off,
        ..situation(Intent::Greeting)
    };
    assert_eq!(decide(&off, "privacy"), []);
    let feedback_in_office = Situation {
        office_open: true,
        awaiting_feedback: true,
        ..situation(Intent::No)
    };
    assert_eq!(
        decide(&feedback_in_office, "privacy"),
        [
            Action::RecordFeedback { helpful: false },
            Action::Prioritise
        ]
    );
    let always = Situation {
        mode: BotMode::Always,
        office_open: true,
        ..situation(Intent::Other)
    };
    assert_eq!(decide(&always, "privacy"), [Action::Notice]);
}
