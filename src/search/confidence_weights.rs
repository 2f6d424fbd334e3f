// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -8.4938,
    weights: [
        2.5802, // coverage
        1.9256, // lead
        1.6087, // ln_score
        1.6922, // matched_share
        -0.4817, // head_missing
        -0.8401, // aspect_missing
        -0.6830, // unknown_share
        -1.2096, // single_word
        -1.1423, // head_partial
        -2.3373, // not_answered
    ],
}
