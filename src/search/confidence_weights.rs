// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -8.3819,
    weights: [
        2.3135, // coverage
        2.0003, // lead
        1.6470, // ln_score
        1.6531, // matched_share
        -0.6755, // head_missing
        -0.8601, // aspect_missing
        -0.3422, // unknown_share
        -1.2014, // single_word
        -1.2334, // head_partial
        -1.9867, // not_answered
    ],
}
