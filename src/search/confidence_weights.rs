// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.7649,
    weights: [
        2.0252, // coverage
        2.1169, // lead
        1.5525, // ln_score
        1.5406, // matched_share
        -0.8109, // head_missing
        -1.3474, // aspect_missing
        -0.7797, // unknown_share
        -1.2070, // single_word
        -1.4702, // head_partial
        -2.5668, // not_answered
    ],
}
